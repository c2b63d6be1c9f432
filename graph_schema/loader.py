"""Reading a model folder into a `GraphModel`, with errors that name the file and key."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from graph_schema.spec import (
    HELD_KINDS,
    ID_PROPERTY,
    ModelHeader,
    NodeSpec,
    PropertySpec,
    RelationshipSpec,
    snake_case,
)
from graph_schema.yaml_spec import read_spec

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "model"

SpecT = TypeVar("SpecT", bound=BaseModel)


class ModelError(ValueError):
    """A model file is missing, malformed, or inconsistent with the rest of the model."""


@dataclass(frozen=True)
class GraphModel:
    """A whole graph model: header, node labels and relationship types, all validated."""

    header: ModelHeader
    nodes: dict[str, NodeSpec]
    relationships: dict[str, RelationshipSpec]
    directory: Path

    @property
    def version(self) -> int:
        """The model's declared version (bumped by hand when the model changes)."""
        return self.header.version

    @property
    def provenance(self) -> dict[str, PropertySpec]:
        """Properties every node and relationship carries, maintained by ingest."""
        return self.header.provenance

    @property
    def checksum(self) -> str:
        """SHA-256 of the canonical model: changes when, and only when, the model does."""
        canonical = {
            "header": self.header.model_dump(mode="json"),
            "nodes": {k: v.model_dump(mode="json") for k, v in sorted(self.nodes.items())},
            "relationships": {
                k: v.model_dump(mode="json") for k, v in sorted(self.relationships.items())
            },
        }
        blob = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()

    @cached_property
    def entities(self) -> dict[str, NodeSpec]:
        """The investigative labels: every label but linkgraph's own bookkeeping.

        Computed once (the API reads it on every request); do not modify it."""
        return {label: node for label, node in self.nodes.items() if not node.internal}

    def node(self, label: str) -> NodeSpec:
        """The spec of `label`; KeyError naming the known labels otherwise."""
        try:
            return self.nodes[label]
        except KeyError:
            raise KeyError(f"unknown label {label!r}; known: {sorted(self.nodes)}") from None

    def relationship(self, rel_type: str) -> RelationshipSpec:
        """The spec of `rel_type`; KeyError naming the known types otherwise."""
        try:
            return self.relationships[rel_type]
        except KeyError:
            known = sorted(self.relationships)
            raise KeyError(f"unknown relationship type {rel_type!r}; known: {known}") from None


def _validate(spec: type[SpecT], path: Path) -> SpecT:
    return read_spec(path, spec, ModelError)


def _check_file_name(path: Path, name: str) -> None:
    if path.stem != snake_case(name):
        raise ModelError(f"{path}: a file declaring {name!r} must be named {snake_case(name)}.yaml")


def _check_properties(path: Path, properties: dict[str, PropertySpec], reserved: set[str]) -> None:
    for name in properties:
        if name in reserved:
            raise ModelError(
                f"{path}: key properties.{name}: reserved (id and provenance are implicit)"
            )


def _check_key(
    path: Path, where: str, names: list[str], properties: dict[str, PropertySpec]
) -> None:
    # Key and identity properties make ids: they must exist and always have a value.
    for index, name in enumerate(names):
        spec = properties.get(name)
        if spec is None:
            raise ModelError(f"{path}: key {where}.{index}: {name!r} is not among the properties")
        if not spec.required:
            raise ModelError(f"{path}: key properties.{name}.required: must be true ({where})")


def load_model(directory: Path | None = None) -> GraphModel:
    """Load and cross-check the model in `directory` (default: the shipped model)."""
    root = (directory or DEFAULT_MODEL_DIR).resolve()
    header_path = root / "model.yaml"
    if not header_path.exists():
        raise ModelError(f"{header_path}: missing (a model folder needs model.yaml)")
    header = _validate(ModelHeader, header_path)
    reserved = {ID_PROPERTY, *header.provenance}

    nodes: dict[str, NodeSpec] = {}
    node_files: dict[str, Path] = {}
    for path in sorted((root / "nodes").glob("*.yaml")):
        node = _validate(NodeSpec, path)
        _check_file_name(path, node.label)
        if node.label in nodes:
            raise ModelError(f"{path}: key label: {node.label!r} already declared")
        _check_properties(path, node.properties, reserved)
        _check_key(path, "key.properties", node.key.properties, node.properties)
        nodes[node.label] = node
        node_files[node.label] = path
    if not nodes:
        raise ModelError(f"{root / 'nodes'}: no node labels declared")

    relationships: dict[str, RelationshipSpec] = {}
    for path in sorted((root / "relationships").glob("*.yaml")):
        rel = _validate(RelationshipSpec, path)
        _check_file_name(path, rel.type)
        if rel.type in relationships:
            raise ModelError(f"{path}: key type: {rel.type!r} already declared")
        for end, labels in (("from", rel.source), ("to", rel.target)):
            for index, label in enumerate(labels):
                if label not in nodes:
                    raise ModelError(
                        f"{path}: key {end}.{index}: unknown label {label!r} "
                        f"(declared: {', '.join(sorted(nodes))})"
                    )
        _check_properties(path, rel.properties, reserved)
        _check_key(path, "identity", rel.identity, rel.properties)
        if rel.implies_holding and not all(
            nodes[label].key.kind in HELD_KINDS for label in (*rel.source, *rel.target)
        ):
            raise ModelError(
                f"{path}: key implies_holding: both ends must be phones, accounts or wallets"
            )
        relationships[rel.type] = rel

    return GraphModel(header=header, nodes=nodes, relationships=relationships, directory=root)
