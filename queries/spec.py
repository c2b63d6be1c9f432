"""The saved-query format: one YAML file per query, validated by one strict model."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ParamType = Literal[
    "string", "int", "float", "bool", "date", "datetime", "phone", "wallet", "account"
]

# `$name` in Cypher; `$$` does not occur in Cypher, and strings never need `$`.
PARAM_PATTERN = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class Strict(BaseModel):
    """Unknown keys are errors; specs are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ParamSpec(Strict):
    """One typed parameter of a saved query."""

    type: ParamType
    description: str = Field(min_length=1)
    # A list of `type` values (e.g. several phones).
    list: bool = False
    required: bool = True
    default: Any = None
    min: float | None = None
    max: float | None = None
    # For phone (and phone-based account) values written in national format.
    region: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    # A value the query is checked with (EXPLAIN in tests) and shown in `query show`.
    example: Any

    @model_validator(mode="after")
    def _default_only_when_optional(self) -> ParamSpec:
        if self.required and self.default is not None:
            raise ValueError("a required parameter takes no default")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        if (self.min is not None or self.max is not None) and self.type not in ("int", "float"):
            raise ValueError("min/max apply to int and float parameters")
        return self


class SavedQuery(Strict):
    """One saved query (`queries/library/<category>/<id>.yaml`)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    name: str = Field(min_length=3, max_length=120)
    category: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    tags: list[str] = Field(default_factory=list)
    description: str = Field(min_length=10)
    parameters: dict[str, ParamSpec] = Field(default_factory=dict)
    cypher: str = Field(min_length=10)
    revision: int = Field(ge=1)
    row_limit: int = Field(default=1000, ge=1, le=100_000)
    timeout_s: float = Field(default=30.0, gt=0, le=600)

    @model_validator(mode="after")
    def _parameters_match_cypher(self) -> SavedQuery:
        used = set(PARAM_PATTERN.findall(self.cypher))
        declared = set(self.parameters)
        # "key: reason": the library reports the error under that key.
        if used - declared:
            raise ValueError(
                f"cypher: uses undeclared parameter(s) {sorted(used - declared)}; "
                "declare them under parameters"
            )
        if declared - used:
            raise ValueError(
                f"parameters: {sorted(declared - used)} declared but never used in the cypher"
            )
        return self
