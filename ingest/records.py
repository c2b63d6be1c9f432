"""Turning one source record into facts: node rows and relationship rows, or a reject."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from graph_schema.loader import GraphModel
from graph_schema.provenance import event_fact, evidence_id, node_fact, rel_fact
from graph_schema.spec import Aggregate, IndexKind, KeyKind, PropertySpec, RelationshipSpec
from ingest.expressions import ExpressionError, evaluate, stable_hash
from ingest.mapping import KEY_INPUTS, Mapping, Value
from ingest.values import convert, to_datetime
from normalise import NormaliseError
from normalise.keys import KEY_NORMALISERS, KeyResult
from normalise.text import as_scalar_text


class RecordRejectedError(Exception):
    """A record that cannot be loaded as it is: which field, and why."""

    def __init__(self, field_name: str | None, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


@dataclass(frozen=True)
class NodeFact:
    """One node a record asserts."""

    label: str
    id: str
    key: dict[str, Any]
    props: dict[str, Any]

    @property
    def fact(self) -> str:
        """The fact's name in provenance (`linkgraph explain` takes it)."""
        return node_fact(self.label, self.id)


@dataclass(frozen=True)
class RelFact:
    """One relationship a record asserts."""

    type: str
    source_label: str
    target_label: str
    source: str
    target: str
    ident: dict[str, Any]
    props: dict[str, Any]
    sums: dict[str, Any]
    id: str | None

    @property
    def fact(self) -> str:
        """The fact's name in provenance: `TYPE:source->target[identity]` or `TYPE:id`."""
        if self.id is not None:
            return event_fact(self.type, self.id)
        return rel_fact(self.type, self.source, self.target, self.ident.values())


@dataclass
class Facts:
    """Everything one record asserts, with the record's identity and time."""

    record_key: str
    seen: datetime | None
    nodes: list[NodeFact] = field(default_factory=list)
    rels: list[RelFact] = field(default_factory=list)


# Key values a mapper remembers the normalised form of. Sources repeat identifiers
# (a call record names two phones a subscriber list named before), and parsing a
# phone number with libphonenumber is most of the cost of mapping a record. Bounded,
# so memory stays flat however large the file.
KEY_CACHE_SIZE = 8192

# C0 and C1 control characters (Unicode category Cc).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")

# Neo4j refuses an index entry above ~8 KB, and a refused entry fails the whole batch's
# transaction: every value a range or text index holds (ids, Evidence ids, indexed
# properties) is kept under this many bytes of UTF-8, or its record is rejected.
MAX_INDEXED_BYTES = 4000
_INDEXES_WITH_A_SIZE_LIMIT = (IndexKind.RANGE, IndexKind.TEXT)


class RecordMapper:
    """Applies one mapping to records, normalising every value on the way."""

    def __init__(self, mapping: Mapping, model: GraphModel) -> None:
        self.mapping = mapping
        self.model = model
        # The normalisers are pure functions of their inputs; errors are not cached.
        self._normalise_key: Callable[..., KeyResult] = lru_cache(maxsize=KEY_CACHE_SIZE)(
            _normalise_key
        )

    def record_key(self, record: dict[str, Any], record_no: int = 0) -> str:
        """The record's identity within its dataset (its `record_id`, or its content)."""
        record_id = self.mapping.record_id
        if record_id is not None:
            field_name = record_id.first_column
            value = self._raw(record_id, record, record_no, "the record id")
            if value is None:
                raise RecordRejectedError(field_name, "the record id is empty")
            try:
                # A list or object has no one spelling to be an id by (never its repr).
                text = as_scalar_text(value, "record id")
            except NormaliseError as error:
                raise RecordRejectedError(field_name, f"the record id: {error.reason}") from None
            key = f"{self.mapping.dataset}:{text}"
            if _CONTROL.search(key):
                # Evidence ids join a fact and a record with one (ingest.cypher).
                raise RecordRejectedError(field_name, "the record id contains a control character")
            return key
        return f"{self.mapping.dataset}:#{stable_hash(record)}"

    def _raw(self, value: Value, record: dict[str, Any], record_no: int, where: str) -> Any:
        """The value's raw form for `record`, None when empty; a reject when it cannot be made."""
        try:
            return evaluate(value, record, record_no)
        except ExpressionError as error:
            raise RecordRejectedError(value.first_column, f"{where}: {error}") from None

    def map(self, record: dict[str, Any], record_no: int = 0) -> Facts:
        """The facts `record` (number `record_no` in its file) asserts; RecordRejectedError
        when any present value is invalid.

        One record never fails a run: an error no check foresaw rejects the record too,
        naming the error (MemoryError excepted: that is the process's, not the record's).
        """
        try:
            facts = self._map(record, record_no)
        except (RecordRejectedError, MemoryError):
            raise
        except Exception as error:  # the record's fault: reported as its reason
            raise RecordRejectedError(
                None, f"unexpected {type(error).__name__}: {error}"[:500]
            ) from None
        _check_identity_sizes(facts)
        return facts

    def _map(self, record: dict[str, Any], record_no: int) -> Facts:
        if "__error__" in record:
            raise RecordRejectedError(None, str(record["__error__"]))
        seen = None
        if self.mapping.time is not None:
            raw = self._raw(self.mapping.time, record, record_no, "time")
            if raw is not None:
                try:
                    seen = to_datetime(raw, self.mapping.time, self.mapping.defaults)
                except NormaliseError as error:
                    raise RecordRejectedError(
                        self.mapping.time.first_column, error.reason
                    ) from None
        region = self.mapping.defaults.region
        if self.mapping.defaults.region_column:
            region = record.get(self.mapping.defaults.region_column) or region
        by_alias: dict[str, NodeFact] = {}
        for alias in self.mapping.entities:
            node = self._node(alias, record, record_no, region)
            if node is not None:
                by_alias[alias] = node
        # After the nodes: a record id that is also a key says what is wrong with it there.
        facts = Facts(record_key=self.record_key(record, record_no), seen=seen)
        facts.nodes.extend(by_alias.values())
        for index, rel in enumerate(self.mapping.relationships):
            source, target = by_alias.get(rel.source), by_alias.get(rel.target)
            if source is None or target is None:
                continue  # an optional end is absent: so is the relationship
            facts.rels.append(self._rel(index, source, target, record, record_no, facts))
        return facts

    def wanted(self, record: dict[str, Any]) -> bool:
        """False for records the source's `where` filter leaves out."""
        if "__error__" in record:
            # A line that could not be parsed has no fields for `where` to test:
            # it is this mapping's to reject, never silently "filtered".
            return True
        where = self.mapping.source.where or {}
        return all(str(record.get(column)) == value for column, value in where.items())

    def _node(
        self, alias: str, record: dict[str, Any], record_no: int, region: str | None
    ) -> NodeFact | None:
        entity = self.mapping.entities[alias]
        spec = self.model.nodes[entity.label]
        inputs = {
            name: self._raw(value, record, record_no, f"{alias}.key.{name}")
            for name, value in entity.key.items()
        }
        inputs = {name: raw for name, raw in inputs.items() if raw is not None}
        for name, raw in inputs.items():
            if isinstance(raw, list):
                # Two passport numbers are two people or a data error: never one key.
                raise RecordRejectedError(
                    entity.key[name].first_column,
                    f"{alias}: several values for the key input {name!r}",
                )
        first = next(iter(entity.key.values())).first_column
        if not inputs or _missing_required(spec.key.kind, inputs):
            if entity.optional:
                return None
            raise RecordRejectedError(first, f"{alias}: no value for the {entity.label} key")
        try:
            node_id, outputs = self._key(spec.key.kind, inputs, region)
        except NormaliseError as error:
            raise RecordRejectedError(first, f"{alias}: {error}") from None
        if spec.key.kind is KeyKind.TEXT:
            outputs = {spec.key.properties[0]: node_id}
        key = {name: outputs[name] for name in spec.key.properties}
        props = {
            name: value
            for name, value in outputs.items()
            if name in spec.properties and name not in key and value is not None
        }
        for name, value in entity.properties.items():
            raw = self._raw(value, record, record_no, f"{alias}.{name}")
            if raw is None:
                continue
            try:
                prop = spec.properties[name]
                props[name] = _indexable(
                    prop, convert(raw, prop.type, value, self.mapping.defaults)
                )
            except NormaliseError as error:
                raise RecordRejectedError(value.first_column, f"{alias}.{name}: {error}") from None
        return NodeFact(entity.label, node_id, key, props)

    def _key(self, kind: KeyKind, inputs: dict[str, Any], region: str | None) -> KeyResult:
        """The key kind's normaliser on `inputs`, remembered for recent inputs."""
        try:
            # The values' types are part of the cache key: 1, 1.0 and True are equal
            # and hash alike, but normalise to different ids ("1", "1.0", "True").
            frozen = tuple((name, type(value), value) for name, value in inputs.items())
            return self._normalise_key(kind, frozen, region, self.mapping.dataset)
        except TypeError:  # an unhashable input (a JSON object): normalise it uncached
            return KEY_NORMALISERS[kind](inputs, region, self.mapping.dataset)

    def _rel(
        self,
        index: int,
        source: NodeFact,
        target: NodeFact,
        record: dict[str, Any],
        record_no: int,
        facts: Facts,
    ) -> RelFact:
        mapped = self.mapping.relationships[index]
        rel_type = mapped.type
        spec = self.model.relationships[rel_type]
        values: dict[str, Any] = {}
        for name, value in mapped.properties.items():
            raw = self._raw(value, record, record_no, f"{rel_type}.{name}")
            if raw is None:
                continue
            try:
                prop = spec.properties[name]
                values[name] = _indexable(
                    prop, convert(raw, prop.type, value, self.mapping.defaults)
                )
            except NormaliseError as error:
                raise RecordRejectedError(
                    value.first_column, f"{rel_type}.{name}: {error}"
                ) from None
        for name, prop in spec.properties.items():
            if prop.required and name not in values:
                column = mapped.properties[name].first_column
                raise RecordRejectedError(column, f"{rel_type}: no value for required {name!r}")
        if not spec.directed and target.id < source.id:
            # One stored direction for an undirected link, whichever way a source says it.
            source, target = target, source
        ident = {name: values[name] for name in spec.identity}
        sums = _sums(spec, values) if spec.repeats == "aggregate" else {}
        props = {k: v for k, v in values.items() if k not in ident and k not in sums}
        rel_id = None
        if spec.has_id:
            tail = "|".join(str(value) for value in ident.values()) or facts.record_key
            rel_id = f"{source.id}->{target.id}|{tail}"
        return RelFact(
            rel_type, source.label, target.label, source.id, target.id, ident, props, sums, rel_id
        )


def _indexable(prop: PropertySpec, value: Any) -> Any:
    """`value`, or NormaliseError when it is outside the property's bounds or too large
    for its index."""
    if prop.minimum is not None and value < prop.minimum:
        raise NormaliseError(prop.type.value, str(value), f"below the minimum {prop.minimum:g}")
    if prop.maximum is not None and value > prop.maximum:
        raise NormaliseError(prop.type.value, str(value), f"above the maximum {prop.maximum:g}")
    if prop.indexed not in _INDEXES_WITH_A_SIZE_LIMIT:
        return value
    texts = value if isinstance(value, list) else [value]
    size = sum(_utf8_size(text) for text in texts if isinstance(text, str))
    if size > MAX_INDEXED_BYTES:
        reason = f"{size:,} bytes, above the {MAX_INDEXED_BYTES:,} an indexed value may have"
        raise NormaliseError(prop.type.value, _short(value), reason)
    return value


def _check_identity_sizes(facts: Facts) -> None:
    """Reject the record when one of its facts' ids is too large for its unique index.

    An Evidence id holds the fact's name (which holds its node ids) and the record's
    key, so it is the largest: checking it checks them all.
    """
    names = [node.fact for node in facts.nodes] + [rel.fact for rel in facts.rels]
    for name in names:
        if len(name) + len(facts.record_key) < MAX_INDEXED_BYTES // 4:
            continue  # too short to be too large, whatever its characters
        size = _utf8_size(evidence_id(name, facts.record_key))
        if size > MAX_INDEXED_BYTES:
            raise RecordRejectedError(
                None,
                f"{_short(name)}: the fact's id with the record's is {size:,} bytes, "
                f"above the {MAX_INDEXED_BYTES:,} an indexed value may have",
            )


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else f"{text[:80]}..."


def _normalise_key(
    kind: KeyKind, inputs: tuple[tuple[str, type, Any], ...], region: str | None, dataset: str
) -> KeyResult:
    return KEY_NORMALISERS[kind]({name: value for name, _, value in inputs}, region, dataset)


def _sums(spec: RelationshipSpec, values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: values[name]
        for name, prop in spec.properties.items()
        if prop.aggregate is Aggregate.SUM and name in values
    }


def _missing_required(kind: KeyKind, inputs: dict[str, Any]) -> bool:
    given = set(inputs)
    return not any(required <= given for required, _ in KEY_INPUTS[kind])
