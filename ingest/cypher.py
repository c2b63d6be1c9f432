"""The parameterised UNWIND statements the loader sends, generated from the model.

Labels, types and property names come from the validated model (an allow-list),
values only ever travel as parameters. Each statement records the provenance of
every row in an Evidence node keyed by (fact, record), and only updates the fact
when that Evidence is new: so loading a record twice, or again after a crash,
changes nothing, and record_count counts distinct records.
"""

from __future__ import annotations

from graph_schema.loader import GraphModel
from graph_schema.spec import Aggregate

EVIDENCE = "Evidence"

# Create the Evidence row, then update the fact only if this very row created it:
# an Evidence made by this run for this record number. A record seen again (in a
# later run, after a crash, or repeated further down the file) changes nothing.
# The record time travels as an ISO 8601 string parsed by datetime(): converting
# a Python datetime in the driver costs ~35 us a row (bench/ingest), a string ~nothing.
_EVIDENCE = f"""
MERGE (e:{EVIDENCE} {{id: row.eid}})
ON CREATE SET e.fact = row.fact, e.record = row.record, e.dataset = $dataset,
              e.file = $file, e.record_no = row.record_no, e.run = $run,
              e.seen = datetime(row.seen)
WITH x, e, row, datetime(row.seen) AS seen
WHERE e.run = $run AND e.record_no = row.record_no
SET x += row.props,
    x.record_count = coalesce(x.record_count, 0) + 1,
    x.first_seen = CASE WHEN x.first_seen IS NULL OR seen < x.first_seen
                        THEN seen ELSE x.first_seen END,
    x.last_seen = CASE WHEN x.last_seen IS NULL OR seen > x.last_seen
                       THEN seen ELSE x.last_seen END,
    x.datasets = CASE WHEN $dataset IN coalesce(x.datasets, []) THEN x.datasets
                      ELSE coalesce(x.datasets, []) + $dataset END"""


def _q(name: str) -> str:
    return f"`{name}`"


def node_statement(label: str) -> str:
    """Upsert nodes of `label` from `$rows` ({id, key, props, eid, fact, record, ...})."""
    return (
        f"UNWIND $rows AS row\n"
        f"MERGE (x:{_q(label)} {{id: row.id}})\n"
        f"ON CREATE SET x += row.key\n"
        f"WITH x, row" + _EVIDENCE
    )


def rel_statement(model: GraphModel, rel_type: str, source: str, target: str) -> str:
    """Upsert `rel_type` relationships from `source`-labelled to `target`-labelled nodes."""
    spec = model.relationship(rel_type)
    if spec.has_id:
        pattern = "{id: row.id}"
        on_create = "ON CREATE SET x += row.ident\n"
    else:
        inner = ", ".join(f"{_q(name)}: row.ident.{_q(name)}" for name in spec.identity)
        pattern = "{" + inner + "}" if inner else ""
        on_create = ""
    sums = "".join(
        f",\n    x.{_q(name)} = coalesce(x.{_q(name)}, 0) + coalesce(row.sums.{_q(name)}, 0)"
        for name, prop in spec.properties.items()
        if prop.aggregate is Aggregate.SUM and spec.repeats == "aggregate"
    )
    return (
        f"UNWIND $rows AS row\n"
        f"MATCH (a:{_q(source)} {{id: row.source}})\n"
        f"MATCH (b:{_q(target)} {{id: row.target}})\n"
        f"MERGE (a)-[x:{_q(rel_type)} {pattern}]->(b)\n"
        f"{on_create}"
        f"WITH x, row" + _EVIDENCE + sums
    )
