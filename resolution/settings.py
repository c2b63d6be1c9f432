"""Resolution settings, read from the environment (``LINKGRAPH_RESOLUTION_*``)."""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ResolutionSettings(BaseSettings):
    """Every knob of `linkgraph resolve run`, one comment each (docs/resolution.md)."""

    model_config = SettingsConfigDict(
        env_prefix="LINKGRAPH_RESOLUTION_", env_file=".env", extra="ignore", frozen=True
    )

    # Pairs at or above this match probability are merged automatically (marked so).
    merge_probability: float = Field(default=0.95, gt=0, lt=1)
    # Pairs from this probability up to the merge threshold wait in the review queue.
    review_probability: float = Field(default=0.5, gt=0, lt=1)
    # An identifier (phone, account, wallet) or document number held by more records
    # than this is not evidence that two of them are one person and does not block
    # pairs: one human is rarely more than a few records, so beyond that it is a hub in
    # all but name.
    max_identifier_holders: int = Field(default=10, ge=2)
    # Records with one exact name are compared on the name alone (no birth date, no
    # identifier in common) only when at most this many records carry that name.
    max_name_block: int = Field(default=20, ge=2)
    # A name token carried by more than this share of the records (Nguyễn, Văn, Thị,
    # Mohammad) does not count towards "shares name tokens": only term frequencies weigh
    # it, on the exact-name level.
    common_token_share: float = Field(default=0.01, gt=0, le=1)
    # ... but a token is never common below this many records (small investigations).
    common_token_floor: int = Field(default=25, ge=1)
    # Pairs sampled to estimate the u probabilities (chance agreement).
    u_sample_pairs: int = Field(default=2_000_000, ge=1000)
    # Seed of that sampling: the same records and seed give the same model.
    seed: int = 42
    # DuckDB threads, and processes deriving name forms for a large input (the machines
    # this runs on have 2 cores).
    threads: int = Field(default=2, ge=1)
    # Rows per write transaction when the run writes candidates and identities back.
    write_batch_size: int = Field(default=10000, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> ResolutionSettings:
        if self.review_probability > self.merge_probability:
            raise ValueError("review_probability must not exceed merge_probability")
        return self
