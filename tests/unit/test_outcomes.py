"""Server faults reach the client masked, with an error id the log also carries; errors
about the request keep their message."""

from __future__ import annotations

import logging

import pytest
import strawberry

from api.errors import UserError
from api.outcomes import Outcomes


@strawberry.type
class Query:
    @strawberry.field
    def broken(self) -> int:
        raise RuntimeError("bolt://10.0.0.5 refused the statement MATCH (secret)")

    @strawberry.field
    def asked_badly(self) -> int:
        raise UserError("depth must be 1 to 3")

    @strawberry.field
    def twice(self, n: int) -> int:
        return 2 * n


SCHEMA = strawberry.Schema(query=Query, extensions=[Outcomes])


def test_a_server_fault_is_masked_with_an_id_that_the_log_holds(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="linkgraph.api"):
        result = SCHEMA.execute_sync("{ broken }")
    assert result.errors is not None
    error = result.errors[0]
    assert "10.0.0.5" not in error.message
    error_id = (error.extensions or {})["errorId"]
    assert error.message == f"Unexpected error; quote error id {error_id}"
    assert any(error_id in record.getMessage() for record in caplog.records)
    assert any(record.exc_info for record in caplog.records)


def test_an_error_about_the_request_keeps_its_message() -> None:
    result = SCHEMA.execute_sync("{ askedBadly }")
    assert result.errors is not None
    assert result.errors[0].message == "depth must be 1 to 3"


def test_a_bad_variable_is_the_requests_fault_not_the_servers() -> None:
    result = SCHEMA.execute_sync("query($n: Int!) { twice(n: $n) }", variable_values={"n": "x"})
    assert result.errors is not None
    assert "has invalid value" in result.errors[0].message
    assert "Unexpected" not in result.errors[0].message
