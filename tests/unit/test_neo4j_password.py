"""The local server's generated password is always one neo4j-admin takes."""

from __future__ import annotations

from linkgraph.neo4j_local import new_password


def test_a_password_never_reads_as_an_option() -> None:
    # A bare token_urlsafe starts with `-` one time in 64: 5,000 draws would meet it.
    passwords = [new_password() for _ in range(5000)]
    assert not any(p.startswith("-") for p in passwords)
    assert len(set(passwords)) == len(passwords)
    assert min(len(p) for p in passwords) >= 32
