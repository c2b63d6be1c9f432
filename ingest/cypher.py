"""The parameterised UNWIND statements the loader sends, generated from the model.

Labels, types and property names come from the validated model (an allow-list),
values only ever travel as parameters. Each batch is one transaction: it creates
one Evidence node per (fact, record) it has not seen before, then updates every
fact by the number of its new Evidence rows (ingest.batch folds them). A record
seen again (in a later run, after a crash, or further down the file) has its
Evidence already, so it changes nothing, and record_count counts distinct records.

An Evidence id is the fact's name and the record's key joined by U+001F (the unit
separator), so its one unique index does both jobs: it refuses a record counted
twice, and a prefix seek on `fact + U+001F` finds every record asserting a fact.
No fact contains the separator (entity ids and relationship identities are
normalised text, in which control characters become spaces, and a record id with a
control character is rejected), so the prefix matches that fact's records only.
"""

from __future__ import annotations

from graph_schema.loader import GraphModel
from graph_schema.provenance import EVIDENCE, EVIDENCE_SEPARATOR_LITERAL, HUB_PROPERTY

# CREATE, not MERGE: the loader only sends Evidence it has not found (or, while no
# record of the run has been seen before, none it expects to find), and the unique
# constraint on Evidence.id turns any duplicate into an error that the loader
# answers by checking the batch's ids (ingest.writer). One row per record with its
# facts (ingest.batch); times travel as ISO strings, parsed once per record.
EVIDENCE_CREATE = f"""UNWIND $rows AS row
WITH row, datetime(row.seen) AS seen
UNWIND row.facts AS fact
CREATE (e:{EVIDENCE} {{id: fact + '{EVIDENCE_SEPARATOR_LITERAL}' + row.record, record: row.record,
                      run: $run, record_no: row.record_no, seen: seen}})"""

# Whether the database refuses a second Evidence with the same id (the schema is applied).
EVIDENCE_UNIQUE = f"""SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties
WHERE type IN ['UNIQUENESS', 'NODE_KEY'] AND labelsOrTypes = ['{EVIDENCE}'] AND properties = ['id']
RETURN count(*) > 0 AS unique"""

# Which of a batch's Evidence ids are in the database already.
EVIDENCE_FOUND = f"""UNWIND $ids AS id
MATCH (e:{EVIDENCE} {{id: id}})
RETURN collect(e.id) AS found"""

# A fact's bookkeeping from the folded row: its new records, their time span, datasets.
_BOOKKEEPING = """
WITH x, row, datetime(row.first) AS first, datetime(row.last) AS last
SET x += row.props,
    x.record_count = coalesce(x.record_count, 0) + row.count,
    x.first_seen = CASE WHEN first IS NULL THEN x.first_seen
                        WHEN x.first_seen IS NULL OR first < x.first_seen THEN first
                        ELSE x.first_seen END,
    x.last_seen = CASE WHEN last IS NULL THEN x.last_seen
                       WHEN x.last_seen IS NULL OR last > x.last_seen THEN last
                       ELSE x.last_seen END,
    x.datasets = CASE WHEN $dataset IN coalesce(x.datasets, []) THEN x.datasets
                      ELSE coalesce(x.datasets, []) + $dataset END"""


def _q(name: str) -> str:
    return f"`{name}`"


def node_statement(label: str, *, hub_flag: bool = False) -> str:
    """Upsert nodes of `label` from `$rows` ({id, key, props, count, first, last}).

    With `hub_flag`, a node created starts with `hub = false`, as the hub policy
    leaves an identifier linked to too few people (ingest.hubs): the policy's check
    then writes only the identifiers that cross its threshold.
    """
    on_create = f"x += row.key, x.{HUB_PROPERTY} = false" if hub_flag else "x += row.key"
    return (
        f"UNWIND $rows AS row\n"
        f"MERGE (x:{_q(label)} {{id: row.id}})\n"
        f"ON CREATE SET {on_create}" + _BOOKKEEPING
    )


def rel_statement(model: GraphModel, rel_type: str, source: str, target: str) -> str:
    """Upsert `rel_type` relationships from `source`-labelled to `target`-labelled nodes."""
    spec = model.relationship(rel_type)
    if spec.has_id:
        pattern = " {id: row.id}"
        on_create = "\nON CREATE SET x += row.ident"
    else:
        inner = ", ".join(f"{_q(name)}: row.ident.{_q(name)}" for name in spec.identity)
        pattern = " {" + inner + "}" if inner else ""
        on_create = ""
    sums = "".join(
        f",\n    x.{_q(name)} = coalesce(x.{_q(name)}, 0) + coalesce(row.sums.{_q(name)}, 0)"
        for name in spec.summed
    )
    return (
        f"UNWIND $rows AS row\n"
        f"MATCH (a:{_q(source)} {{id: row.source}})\n"
        f"MATCH (b:{_q(target)} {{id: row.target}})\n"
        f"MERGE (a)-[x:{_q(rel_type)}{pattern}]->(b)"
        f"{on_create}" + _BOOKKEEPING + sums
    )
