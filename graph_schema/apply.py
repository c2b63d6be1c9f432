"""Bring a database's constraints and indexes in line with the model, idempotently."""

from __future__ import annotations

from dataclasses import dataclass, field

from neo4j import Driver, RoutingControl

from graph_schema.ddl import PREFIX, SchemaItem, Signature, drop_statement, schema_items
from graph_schema.loader import GraphModel
from graph_schema.migrations import run_migrations

# The node that records which model version (and exact checksum) a database has.
VERSION_LABEL = "GraphSchema"


@dataclass
class ApplyResult:
    """What `apply` did. Applying the same model twice gives `changed == False`."""

    created: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Data migrations run (graph_schema.migrations), by description.
    migrated: list[str] = field(default_factory=list)
    version_recorded: bool = False

    @property
    def changed(self) -> bool:
        """True when anything in the database changed."""
        return bool(self.created or self.dropped or self.migrated or self.version_recorded)

    def summary(self) -> str:
        """One line for people."""
        return (
            f"{len(self.created)} created, {len(self.dropped)} dropped, "
            f"{len(self.unchanged)} unchanged"
            + "".join(f"; migrated: {description}" for description in self.migrated)
            + ("; model version recorded" if self.version_recorded else "")
        )


def existing_items(driver: Driver, database: str) -> dict[str, Signature]:
    """linkgraph's constraints and indexes in the database, by name.

    An index that backs a constraint is reported through its constraint only.
    """
    found: dict[str, Signature] = {}
    constraints, _, _ = driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties "
        "WHERE name STARTS WITH $prefix RETURN *",
        prefix=PREFIX,
        database_=database,
        routing_=RoutingControl.READ,
    )
    for row in constraints:
        found[row["name"]] = Signature(
            row["type"],
            row["entityType"],
            tuple(sorted(row["labelsOrTypes"])),
            tuple(sorted(row["properties"])),
        )
    indexes, _, _ = driver.execute_query(
        "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, owningConstraint "
        "WHERE name STARTS WITH $prefix AND owningConstraint IS NULL RETURN *",
        prefix=PREFIX,
        database_=database,
        routing_=RoutingControl.READ,
    )
    for row in indexes:
        found[row["name"]] = Signature(
            row["type"],
            row["entityType"],
            tuple(sorted(row["labelsOrTypes"])),
            tuple(sorted(row["properties"])),
        )
    return found


def plan(model: GraphModel, existing: dict[str, Signature]) -> tuple[list[SchemaItem], list[str]]:
    """(items to create, names to drop) so that the database matches `model`."""
    wanted = schema_items(model)
    wanted_names = {item.name for item in wanted}
    to_create = [item for item in wanted if existing.get(item.name) != item.signature]
    # A changed item is dropped first, then created again under the same name.
    to_drop = sorted(
        name
        for name in existing
        if name not in wanted_names or any(item.name == name for item in to_create)
    )
    return to_create, to_drop


def apply_schema(
    driver: Driver, model: GraphModel, database: str = "neo4j", timeout_s: int = 300
) -> ApplyResult:
    """Migrate data of an older model version, create missing constraints/indexes,
    drop stale `lg_` ones, record the model version."""
    before = recorded_version(driver, model, database)
    recorded = before["version"] if before is not None else None
    migrated = run_migrations(
        driver, database, model, recorded if isinstance(recorded, int) else None
    )
    existing = existing_items(driver, database)
    to_create, to_drop = plan(model, existing)
    result = ApplyResult(migrated=[migration.description for migration in migrated])
    by_name = {item.name: item for item in schema_items(model)}
    for name in to_drop:
        driver.execute_query(drop_statement(name, existing[name]), database_=database)
        result.dropped.append(name)
    for item in to_create:
        driver.execute_query(item.create, database_=database)
        result.created.append(item.name)
    result.unchanged = sorted(set(by_name) - set(result.created))
    if result.created:
        # New indexes populate in the background; callers expect them usable.
        driver.execute_query("CALL db.awaitIndexes($t)", t=timeout_s, database_=database)
    result.version_recorded = _record_version(driver, model, database)
    return result


def _record_version(driver: Driver, model: GraphModel, database: str) -> bool:
    records, _, _ = driver.execute_query(
        f"MERGE (v:{VERSION_LABEL} {{name: $name}}) "
        "WITH v, (v.version = $version AND v.checksum = $checksum) AS same "
        "SET v.version = $version, v.checksum = $checksum, "
        "    v.applied_at = CASE WHEN same THEN v.applied_at ELSE datetime() END "
        "RETURN same",
        name=model.header.name,
        version=model.version,
        checksum=model.checksum,
        database_=database,
    )
    return not records[0]["same"]


def recorded_version(
    driver: Driver, model: GraphModel, database: str = "neo4j"
) -> dict[str, object] | None:
    """The version and checksum recorded in the database, or None if never applied."""
    records, _, _ = driver.execute_query(
        f"MATCH (v:{VERSION_LABEL} {{name: $name}}) "
        "RETURN v.version AS version, v.checksum AS checksum, v.applied_at AS applied_at",
        name=model.header.name,
        database_=database,
        routing_=RoutingControl.READ,
    )
    return dict(records[0]) if records else None
