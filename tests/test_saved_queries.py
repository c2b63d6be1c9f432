"""The saved-query library against a real Neo4j: every query, its exact rows, its guards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from neo4j import Driver
from neo4j.time import Date, DateTime

from core.settings import Settings
from linkgraph.cli import main
from queries.library import BUILTIN_DIR, Library, LibraryError, load_query
from queries.params import ParameterError, coerce_parameters
from queries.runner import QueryRefusedError, QueryResult, run_saved_query
from tests.queries_fixture import (
    AN,
    ANALYSIS_RUN,
    AUNG,
    BINH,
    BUKIT,
    CUONG,
    FB_LINH,
    GRACE,
    HOTEL,
    JUAN,
    MAE_SOT,
    MARIA,
    NETWORK_B,
    PH_AN_BINH,
    PH_CUONG,
    PH_HOTLINE,
    PH_JUAN,
    PH_SANTOS,
    PH_SOMCHAI,
    RUN_BORDER,
    RUN_TELCO,
    SOMCHAI,
    TG_KO_MIN,
    TG_PRASERT,
    TG_SANTOS,
    W_AN,
    W_COLLECTOR,
    W_EXCHANGE,
    W_MARIA,
    W_MARIA_OUT,
    W_SHARED,
    WA_AN,
    at,
    build_investigation_graph,
    graph_counts,
)

pytestmark = pytest.mark.neo4j

LIBRARY = Library.load()
ALL_IDS = sorted(LIBRARY.queries)
MARCH = {"since": "2024-03-01T00:00:00Z", "until": "2024-03-31T23:59:59Z"}
YEAR = {"since": "2024-01-01T00:00:00Z", "until": "2024-12-31T23:59:59Z"}


def _native(value: Any) -> Any:
    """Driver temporal values as Python ones, so rows compare with `at(...)`."""
    if isinstance(value, DateTime | Date):
        return value.to_native()
    if isinstance(value, list):
        return [_native(item) for item in value]
    if isinstance(value, dict):
        return {key: _native(item) for key, item in value.items()}
    return value


@pytest.fixture(scope="module")
def graph(driver: Driver, settings: Settings) -> Driver:
    """The investigation graph, written once for this module (the tests only read it)."""
    database = settings.neo4j_database
    with driver.session(database=database) as session:
        session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
    build_investigation_graph(driver, database)
    return driver


def run(graph: Driver, settings: Settings, query_id: str, **given: Any) -> QueryResult:
    """Run a built-in query with `given` parameters."""
    return run_saved_query(graph, LIBRARY.get(query_id), given, settings.neo4j_database)


def rows(graph: Driver, settings: Settings, query_id: str, **given: Any) -> list[dict[str, Any]]:
    """A built-in query's rows, temporal values made native."""
    result = run(graph, settings, query_id, **given)
    assert not result.truncated
    return [_native(row) for row in result.rows]


# (a) The library validates; every query passes EXPLAIN and runs with its example.


def test_library_loads_at_least_22_queries_in_their_category_folders() -> None:
    library = Library.load()
    assert len(library.queries) >= 22
    for query_id, path in library.sources.items():
        assert path.stem == query_id
        assert path.parent.name == library.queries[query_id].category
    assert {q.category for q in library.queries.values()} >= {
        "identifiers",
        "neighbourhood",
        "paths",
        "money",
        "movement",
        "communications",
        "networks",
        "data_quality",
    }


@pytest.mark.parametrize("query_id", ALL_IDS)
def test_query_explains_and_runs_with_its_example(
    graph: Driver, settings: Settings, query_id: str
) -> None:
    query = LIBRARY.get(query_id)
    example = {name: spec.example for name, spec in query.parameters.items()}
    params = coerce_parameters(query, example)
    graph.execute_query("EXPLAIN " + query.cypher, params, database_=settings.neo4j_database)
    result = run_saved_query(graph, query, example, settings.neo4j_database)
    assert result.columns
    assert len(result.rows) <= query.row_limit


@pytest.mark.parametrize("query_id", ALL_IDS)
def test_query_that_expands_has_a_hub_switch_off_by_default(query_id: str) -> None:
    query = LIBRARY.get(query_id)
    expands = "*" in query.cypher or "SHORTEST" in query.cypher
    if expands:
        assert "include_hubs" in query.parameters
    if "include_hubs" in query.parameters:
        spec = query.parameters["include_hubs"]
        assert spec.type == "bool"
        assert spec.default is False
        assert not spec.required


# (b) Exact rows on the fixture graph, one test per query.


def test_people_sharing_phone(graph: Driver, settings: Settings) -> None:
    assert rows(graph, settings, "people_sharing_phone", phone=PH_AN_BINH) == [
        {
            "person": AN,
            "name": "Nguyen Van An",
            "role": "user",
            "first_seen": at("2024-01-15T00:00"),
            "last_seen": at("2024-01-15T00:00"),
            "datasets": ["police", "telco"],
            "phone_is_hub": False,
        },
        {
            "person": BINH,
            "name": "Tran Thi Binh",
            "role": "user",
            "first_seen": at("2024-01-20T00:00"),
            "last_seen": at("2024-01-20T00:00"),
            "datasets": ["police"],
            "phone_is_hub": False,
        },
    ]


def test_shared_identifiers_leave_hubs_out_by_default(graph: Driver, settings: Settings) -> None:
    assert rows(graph, settings, "shared_identifiers") == [
        {
            "kind": "Phone",
            "identifier": PH_AN_BINH,
            "hub": False,
            "people_count": 2,
            "people": [AN, BINH],
        },
        {
            "kind": "Phone",
            "identifier": PH_SANTOS,
            "hub": False,
            "people_count": 2,
            "people": [MARIA, JUAN],
        },
        {
            "kind": "Wallet",
            "identifier": W_SHARED,
            "hub": False,
            "people_count": 2,
            "people": [BINH, CUONG],
        },
    ]
    assert rows(graph, settings, "shared_identifiers", min_people=3, include_hubs=True) == [
        {
            "kind": "Phone",
            "identifier": PH_HOTLINE,
            "hub": True,
            "people_count": 4,
            "people": [AN, MARIA, GRACE, AUNG],
        }
    ]


def test_accounts_registered_to_phone(graph: Driver, settings: Settings) -> None:
    assert rows(graph, settings, "accounts_registered_to_phone", phone=PH_AN_BINH) == [
        {
            "platform": "facebook",
            "account": FB_LINH,
            "display_name": "Linh Nguyen",
            "holders": [],
            "datasets": ["osint"],
        },
        {
            "platform": "telegram",
            "account": TG_KO_MIN,
            "display_name": "Ko Min",
            "holders": [BINH],
            "datasets": ["police"],
        },
        {
            "platform": "whatsapp",
            "account": WA_AN,
            "display_name": "An",
            "holders": [AN],
            "datasets": ["telco"],
        },
    ]


def test_phones_with_accounts_on_several_platforms(graph: Driver, settings: Settings) -> None:
    assert rows(graph, settings, "phones_with_accounts_on_several_platforms") == [
        {
            "phone": PH_AN_BINH,
            "hub": False,
            "platform_count": 3,
            "platforms": ["facebook", "telegram", "whatsapp"],
            "accounts": [FB_LINH, TG_KO_MIN, WA_AN],
            "users": [AN, BINH],
        }
    ]
    assert rows(graph, settings, "phones_with_accounts_on_several_platforms", min_platforms=4) == []


def test_person_identifiers(graph: Driver, settings: Settings) -> None:
    def link(kind: str, ident: str, rel: str, hub: bool, when: str, n: int, ds: list[str]) -> Any:
        return {
            "link": rel,
            "kind": kind,
            "identifier": ident,
            "hub": hub,
            "first_seen": at(when),
            "last_seen": at(when),
            "records": n,
            "datasets": ds,
        }

    assert rows(graph, settings, "person_identifiers", person=AN) == [
        link("Account", WA_AN, "HOLDS", False, "2024-02-01T00:00", 1, ["police"]),
        link("Phone", PH_HOTLINE, "USES", True, "2024-02-01T00:00", 1, ["police"]),
        link("Phone", PH_AN_BINH, "USES", False, "2024-01-15T00:00", 2, ["police", "telco"]),
        link("Wallet", W_AN, "OWNS", False, "2024-02-10T00:00", 1, ["chain"]),
    ]


def test_watchlist_hits_only_the_latest_completed_run(graph: Driver, settings: Settings) -> None:
    found = rows(
        graph,
        settings,
        "watchlist_hits_latest_ingest",
        # A national number, an unmentioned number, a wallet only in an older run.
        phones=["0917 765 4321", PH_JUAN],
        wallets=[W_COLLECTOR],
        accounts=["whatsapp:+639171234567", TG_SANTOS],
    )
    assert found == [
        {
            "kind": "Account",
            "identifier": WA_AN,
            "run": RUN_TELCO,
            "dataset": "telco",
            "record_count": 1,
            "records": [f"telco:acc-{WA_AN}"],
        },
        {
            "kind": "Phone",
            "identifier": PH_SANTOS,
            "run": RUN_TELCO,
            "dataset": "telco",
            "record_count": 1,
            "records": [f"telco:sub-{PH_SANTOS}"],
        },
    ]
    assert rows(graph, settings, "watchlist_hits_latest_ingest") == []


def _near(distance: int, kind: str, node_id: str, name: str | None, hub: bool = False) -> Any:
    return {"distance": distance, "kind": kind, "id": node_id, "name": name, "hub": hub}


def test_phone_neighbourhood(graph: Driver, settings: Settings) -> None:
    expected = [
        _near(1, "Account", TG_SANTOS, "Santos Travel"),
        _near(1, "Person", MARIA, "Maria Santos"),
        _near(1, "Person", JUAN, "Juan Reyes"),
        _near(1, "Phone", PH_AN_BINH, None),
        _near(1, "Phone", PH_SOMCHAI, None),
        _near(1, "Phone", PH_CUONG, None),
    ]
    assert rows(graph, settings, "phone_neighbourhood", phone=PH_SANTOS, hops=1) == expected
    with_hubs = rows(
        graph, settings, "phone_neighbourhood", phone=PH_SANTOS, hops=1, include_hubs=True
    )
    assert with_hubs == [*expected[:3], _near(1, "Phone", PH_HOTLINE, None, True), *expected[3:]]


def test_wallet_neighbourhood(graph: Driver, settings: Settings) -> None:
    assert rows(graph, settings, "wallet_neighbourhood", wallet=W_COLLECTOR, hops=2) == [
        _near(1, "Person", SOMCHAI, "Somchai Prasert"),
        _near(1, "Wallet", W_SHARED, None),
        _near(1, "Wallet", W_AN, None),
        _near(2, "Account", TG_PRASERT, "P. TX"),
        _near(2, "Location", MAE_SOT, "Mae Sot Friendship Bridge"),
        _near(2, "Person", AN, "Nguyen Van An"),
        _near(2, "Person", BINH, "Tran Thi Binh"),
        _near(2, "Person", CUONG, "Le Van Cuong"),
        _near(2, "Phone", PH_SOMCHAI, None),
    ]


def test_account_neighbourhood(graph: Driver, settings: Settings) -> None:
    assert rows(graph, settings, "account_neighbourhood", account="telegram:Ko_Min", hops=1) == [
        _near(1, "Account", TG_PRASERT, "P. TX"),
        _near(1, "Person", BINH, "Tran Thi Binh"),
        _near(1, "Phone", PH_AN_BINH, None),
    ]


def test_shortest_connection_with_the_records_behind_each_hop(
    graph: Driver, settings: Settings
) -> None:
    called = f"CALLED:{PH_AN_BINH}->{PH_SANTOS}"
    assert rows(graph, settings, "shortest_connection", person_a=AN, person_b=MARIA) == [
        {
            "hops": 3,
            "chain": [AN, PH_AN_BINH, PH_SANTOS, MARIA],
            "steps": [
                {
                    "step": 1,
                    "from": AN,
                    "type": "USES",
                    "to": PH_AN_BINH,
                    "fact": f"USES:{AN}->{PH_AN_BINH}",
                    "record_count": 2,
                    "records": [f"police:u-A1-{PH_AN_BINH}", "telco:sub-A1"],
                },
                {
                    "step": 2,
                    "from": PH_AN_BINH,
                    "type": "CALLED",
                    "to": PH_SANTOS,
                    "fact": called,
                    "record_count": 1,
                    "records": [f"telco:cdr-{PH_AN_BINH}-{PH_SANTOS}-0"],
                },
                {
                    "step": 3,
                    "from": PH_SANTOS,
                    "type": "USES",
                    "to": MARIA,
                    "fact": f"USES:{MARIA}->{PH_SANTOS}",
                    "record_count": 1,
                    "records": [f"police:u-B1-{PH_SANTOS}"],
                },
            ],
        }
    ]
    # Through the shelter hotline (a hub) only when asked.
    via_hub = rows(
        graph, settings, "shortest_connection", person_a=AN, person_b=MARIA, include_hubs=True
    )
    assert [row["chain"] for row in via_hub] == [[AN, PH_HOTLINE, MARIA]]
    # An event relationship is named by its id; the money trail links An to Somchai.
    to_somchai = rows(graph, settings, "shortest_connection", person_a=AN, person_b=SOMCHAI)
    assert [row["chain"] for row in to_somchai] == [[AN, W_AN, W_COLLECTOR, SOMCHAI]]
    transfer = to_somchai[0]["steps"][1]
    assert transfer["fact"] == f"TRANSFERRED:{W_AN}->{W_COLLECTOR}|0xaaa6"
    assert transfer["records"] == ["chain:0xaaa6"]


def test_shortest_connection_names_associations_with_their_relation(
    graph: Driver, settings: Settings
) -> None:
    found = rows(graph, settings, "shortest_connection", person_a=CUONG, person_b=SOMCHAI)
    assert found == [
        {
            "hops": 1,
            "chain": [CUONG, SOMCHAI],
            "steps": [
                {
                    "step": 1,
                    "from": CUONG,
                    "type": "ASSOCIATED_WITH",
                    "to": SOMCHAI,
                    "fact": f"ASSOCIATED_WITH:{CUONG}->{SOMCHAI}[co_offender]",
                    "record_count": 1,
                    "records": ["police:assoc-1"],
                }
            ],
        }
    ]


def test_money_paths_between_wallets(graph: Driver, settings: Settings) -> None:
    direct = {
        "hops": 1,
        "wallets": [W_AN, W_COLLECTOR],
        "transactions": ["0xaaa6"],
        "amounts": [0.3],
        "assets": ["ETH"],
        "first_at": at("2024-03-05T00:00"),
        "last_at": at("2024-03-05T00:00"),
    }
    # 0xaaa3 (shared -> collector) is before the window and before 0xaaa1: never used.
    layered = {
        "hops": 2,
        "wallets": [W_AN, W_SHARED, W_COLLECTOR],
        "transactions": ["0xaaa1", "0xaaa2"],
        "amounts": [1.5, 1.4],
        "assets": ["ETH", "ETH"],
        "first_at": at("2024-03-01T10:00"),
        "last_at": at("2024-03-02T10:00"),
    }
    via_exchange = {
        "hops": 2,
        "wallets": [W_AN, W_EXCHANGE, W_COLLECTOR],
        "transactions": ["0xaaa4", "0xaaa5"],
        "amounts": [2.0, 1.9],
        "assets": ["ETH", "ETH"],
        "first_at": at("2024-03-01T12:00"),
        "last_at": at("2024-03-03T09:00"),
    }
    given = {"from_wallet": W_AN, "to_wallet": W_COLLECTOR, **MARCH}
    assert rows(graph, settings, "money_paths_between_wallets", **given) == [direct, layered]
    assert rows(graph, settings, "money_paths_between_wallets", **given, include_hubs=True) == [
        direct,
        layered,
        via_exchange,
    ]
    assert rows(graph, settings, "money_paths_between_wallets", **given, hops=1) == [direct]
    # A window closing before 0xaaa2 leaves only the direct transfer out too.
    early = {**given, "until": "2024-03-02T00:00:00Z"}
    assert rows(graph, settings, "money_paths_between_wallets", **early) == []


def test_wallets_receiving_from_network(graph: Driver, settings: Settings) -> None:
    collector = {
        "wallet": W_COLLECTOR,
        "tag": None,
        "asset": "ETH",
        "sender_count": 3,
        "senders": [AN, BINH, CUONG],
        "transfers": 3,
        "amount": 2.2,
        "owners": [SOMCHAI],
    }
    assert rows(graph, settings, "wallets_receiving_from_network", person=AN) == [collector]
    # With hubs, the hotline pulls Maria into the network and exchanges count.
    assert rows(
        graph,
        settings,
        "wallets_receiving_from_network",
        person=AN,
        min_senders=1,
        include_hubs=True,
    ) == [
        collector,
        {
            "wallet": W_MARIA_OUT,
            "tag": None,
            "asset": "BTC",
            "sender_count": 1,
            "senders": [MARIA],
            "transfers": 1,
            "amount": 0.01,
            "owners": [],
        },
        {
            "wallet": W_EXCHANGE,
            "tag": "Exchange hot wallet",
            "asset": "ETH",
            "sender_count": 1,
            "senders": [AN],
            "transfers": 1,
            "amount": 2.0,
            "owners": [],
        },
        {
            "wallet": W_SHARED,
            "tag": None,
            "asset": "ETH",
            "sender_count": 1,
            "senders": [AN],
            "transfers": 1,
            "amount": 1.5,
            "owners": [BINH, CUONG],
        },
    ]


def test_wallet_counterparties(graph: Driver, settings: Settings) -> None:
    assert rows(graph, settings, "wallet_counterparties", wallet=W_SHARED, **YEAR) == [
        {
            "direction": "in",
            "counterparty": W_AN,
            "tag": None,
            "hub": False,
            "asset": "ETH",
            "transfers": 1,
            "amount": 1.5,
            "first_at": at("2024-03-01T10:00"),
            "last_at": at("2024-03-01T10:00"),
            "owners": [AN],
        },
        {
            "direction": "out",
            "counterparty": W_COLLECTOR,
            "tag": None,
            "hub": False,
            "asset": "ETH",
            "transfers": 2,
            "amount": 1.9,
            "first_at": at("2024-02-20T10:00"),
            "last_at": at("2024-03-02T10:00"),
            "owners": [SOMCHAI],
        },
    ]
    btc = rows(graph, settings, "wallet_counterparties", wallet=W_MARIA, **MARCH)
    assert [(r["direction"], r["counterparty"], r["amount"]) for r in btc] == [
        ("out", W_MARIA_OUT, 0.01)
    ]


def test_people_seen_with_person(graph: Driver, settings: Settings) -> None:
    def seen(
        mine: str, place: str, name: str, other: str, oname: str, theirs: str, gap: float
    ) -> dict[str, Any]:
        return {
            "person_at": at(mine),
            "place": place,
            "place_name": name,
            "other": other,
            "other_name": oname,
            "other_at": at(theirs),
            "gap_hours": gap,
            "kind": "border_crossing",
        }

    bridge, bukit = "Mae Sot Friendship Bridge", "Bukit Kayu Hitam"
    # Somchai crossed 25 hours after Binh: outside the 24-hour window.
    assert rows(graph, settings, "people_seen_with_person", person=BINH) == [
        seen("2024-03-10T08:00", MAE_SOT, bridge, CUONG, "Le Van Cuong", "2024-03-10T10:00", 2.0),
        seen("2024-03-12T06:00", BUKIT, bukit, CUONG, "Le Van Cuong", "2024-03-12T07:30", 1.5),
        seen("2024-04-01T08:00", MAE_SOT, bridge, JUAN, "Juan Reyes", "2024-04-01T12:00", 4.0),
    ]
    wider = rows(graph, settings, "people_seen_with_person", person=BINH, hours=25)
    assert [(r["other"], r["gap_hours"]) for r in wider] == [
        (CUONG, 2.0),
        (SOMCHAI, 25.0),
        (CUONG, 1.5),
        (JUAN, 4.0),
    ]
    # The hotel is a hub: An and Grace met there only counts when asked.
    assert rows(graph, settings, "people_seen_with_person", person=AN) == []
    hotel = rows(graph, settings, "people_seen_with_person", person=AN, include_hubs=True)
    assert [(r["place"], r["other"], r["gap_hours"], r["kind"]) for r in hotel] == [
        (HOTEL, GRACE, 1.0, "check_in")
    ]


def test_co_travel(graph: Driver, settings: Settings) -> None:
    window = {"since": "2024-03-01T00:00:00Z", "until": "2024-04-30T23:59:59Z"}
    pair = {
        "person_a": BINH,
        "name_a": "Tran Thi Binh",
        "person_b": CUONG,
        "name_b": "Le Van Cuong",
        "times": 2,
        "places": [BUKIT, MAE_SOT],
        "first_at": at("2024-03-10T08:00"),
        "last_at": at("2024-03-12T06:00"),
    }
    assert rows(graph, settings, "co_travel", **window) == [pair]
    assert rows(graph, settings, "co_travel", **window, kind="border_crossing") == [pair]
    assert rows(graph, settings, "co_travel", **window, kind="check_in") == []
    once = rows(graph, settings, "co_travel", **window, min_times=1, include_hubs=True)
    assert [(r["person_a"], r["person_b"], r["times"], r["places"]) for r in once] == [
        (BINH, CUONG, 2, [BUKIT, MAE_SOT]),
        (AN, GRACE, 1, [HOTEL]),
        (BINH, JUAN, 1, [MAE_SOT]),
        (CUONG, SOMCHAI, 1, [MAE_SOT]),
    ]


def test_person_movements(graph: Driver, settings: Settings) -> None:
    bridge = {
        "place": MAE_SOT,
        "place_name": "Mae Sot Friendship Bridge",
        "country": "TH",
        "category": "border_crossing",
    }
    bukit = {
        "place": BUKIT,
        "place_name": "Bukit Kayu Hitam",
        "country": "MY",
        "category": "border_crossing",
    }
    crossing = "border_crossing"
    assert rows(graph, settings, "person_movements", person=BINH, **YEAR) == [
        {"at": at("2024-03-10T08:00"), "kind": crossing, "direction": "exit", **bridge},
        {"at": at("2024-03-12T06:00"), "kind": crossing, "direction": "entry", **bukit},
        {"at": at("2024-04-01T08:00"), "kind": crossing, "direction": "entry", **bridge},
    ]
    assert len(rows(graph, settings, "person_movements", person=BINH, **MARCH)) == 2


def test_seen_at_place(graph: Driver, settings: Settings) -> None:
    def seen(when: str, who: str, name: str) -> dict[str, Any]:
        return {
            "at": at(when),
            "subject_kind": "Person",
            "subject": who,
            "name": name,
            "kind": "border_crossing",
            "direction": "exit",
        }

    assert rows(graph, settings, "seen_at_place", place=MAE_SOT, **MARCH) == [
        seen("2024-03-10T08:00", BINH, "Tran Thi Binh"),
        seen("2024-03-10T10:00", CUONG, "Le Van Cuong"),
        seen("2024-03-11T09:00", SOMCHAI, "Somchai Prasert"),
    ]


def test_top_callers_of_number_counts_calls_in_the_period(
    graph: Driver, settings: Settings
) -> None:
    def caller(
        phone: str, hub: bool, calls: int, first: str, last: str, users: list[str]
    ) -> dict[str, Any]:
        return {
            "caller": phone,
            "hub": hub,
            "calls": calls,
            "first_call": at(first),
            "last_call": at(last),
            "users": users,
        }

    # Somchai's third call (10 April) is outside March.
    assert rows(graph, settings, "top_callers_of_number", phone=PH_SANTOS, **MARCH) == [
        caller(PH_SOMCHAI, False, 2, "2024-03-01T09:00", "2024-03-02T09:00", [SOMCHAI]),
        caller(PH_CUONG, False, 2, "2024-03-03T08:00", "2024-03-04T08:00", [CUONG]),
        caller(
            PH_HOTLINE, True, 1, "2024-03-06T15:00", "2024-03-06T15:00", [AN, MARIA, GRACE, AUNG]
        ),
        caller(PH_AN_BINH, False, 1, "2024-03-05T12:00", "2024-03-05T12:00", [AN, BINH]),
    ]


def test_person_call_contacts(graph: Driver, settings: Settings) -> None:
    assert rows(graph, settings, "person_call_contacts", person=SOMCHAI, **MARCH) == [
        {
            "phone": PH_SOMCHAI,
            "direction": "out",
            "other_phone": PH_SANTOS,
            "calls": 2,
            "first_call": at("2024-03-01T09:00"),
            "last_call": at("2024-03-02T09:00"),
            "other_users": [MARIA, JUAN],
        }
    ]
    received = rows(graph, settings, "person_call_contacts", person=CUONG, **YEAR)
    assert [(r["phone"], r["direction"], r["other_phone"], r["calls"]) for r in received] == [
        (PH_CUONG, "in", PH_AN_BINH, 2),
        (PH_CUONG, "out", PH_SANTOS, 2),
    ]
    # An's hotline calls only with include_hubs.
    an = rows(graph, settings, "person_call_contacts", person=AN, **YEAR)
    assert [(r["phone"], r["other_phone"]) for r in an] == [
        (PH_AN_BINH, PH_CUONG),
        (PH_AN_BINH, PH_SANTOS),
    ]
    an_hubs = rows(graph, settings, "person_call_contacts", person=AN, **YEAR, include_hubs=True)
    assert [(r["phone"], r["other_phone"], r["calls"]) for r in an_hubs] == [
        (PH_AN_BINH, PH_CUONG, 2),
        (PH_HOTLINE, PH_SANTOS, 1),
        (PH_AN_BINH, PH_SANTOS, 1),
    ]


def test_account_message_partners(graph: Driver, settings: Settings) -> None:
    def partner(
        direction: str, other: str, name: str, n: int, first: str, last: str, who: str
    ) -> dict[str, Any]:
        return {
            "direction": direction,
            "other_account": other,
            "display_name": name,
            "messages": n,
            "first_message": at(first),
            "last_message": at(last),
            "holders": [who],
        }

    assert rows(graph, settings, "account_message_partners", account="https://t.me/prasert_tx") == [
        partner("sent", TG_KO_MIN, "Ko Min", 3, "2024-03-01T01:00", "2024-03-03T01:00", BINH),
        partner(
            "sent", TG_SANTOS, "Santos Travel", 2, "2024-03-04T01:00", "2024-03-05T01:00", MARIA
        ),
        partner("received", TG_KO_MIN, "Ko Min", 1, "2024-03-06T01:00", "2024-03-06T01:00", BINH),
    ]


def test_network_of_person(graph: Driver, settings: Settings) -> None:
    assert rows(graph, settings, "network_of_person", person=AN) == [
        {
            "person": AN,
            "name": "Nguyen Van An",
            "steps": 0,
            "identifiers": [PH_AN_BINH, W_AN, WA_AN],
        },
        {
            "person": BINH,
            "name": "Tran Thi Binh",
            "steps": 1,
            "identifiers": [PH_AN_BINH, W_SHARED, TG_KO_MIN],
        },
        {"person": CUONG, "name": "Le Van Cuong", "steps": 2, "identifiers": [PH_CUONG, W_SHARED]},
    ]
    with_hubs = rows(graph, settings, "network_of_person", person=MARIA, include_hubs=True)
    assert [(r["person"], r["steps"]) for r in with_hubs] == [
        (MARIA, 0),
        (AN, 1),
        (JUAN, 1),
        (GRACE, 1),
        (AUNG, 1),
        (BINH, 2),
    ]
    assert PH_HOTLINE in with_hubs[0]["identifiers"]


def test_new_identifiers_in_network(graph: Driver, settings: Settings) -> None:
    # The shared wallet is not new: Cuong owned it from 25 February, Binh from 20 March.
    assert rows(graph, settings, "new_identifiers_in_network", person=AN, since="2024-03-01") == [
        {
            "kind": "Phone",
            "identifier": PH_CUONG,
            "first_linked": at("2024-03-05T00:00"),
            "members": [CUONG],
        },
        {
            "kind": "Account",
            "identifier": TG_KO_MIN,
            "first_linked": at("2024-03-15T00:00"),
            "members": [BINH],
        },
    ]
    later = rows(graph, settings, "new_identifiers_in_network", person=AN, since="2024-03-06")
    assert [r["identifier"] for r in later] == [TG_KO_MIN]


def test_people_bridging_networks(graph: Driver, settings: Settings) -> None:
    somchai = {
        "person": SOMCHAI,
        "name": "Somchai Prasert",
        "linked_a": [BINH, CUONG],
        "linked_b": [MARIA, JUAN],
    }
    by_identifiers = {"person_a": AN, "person_b": MARIA, "use_analytics": False}
    assert rows(graph, settings, "people_bridging_networks", **by_identifiers) == [somchai]
    # Through the hotline the groups merge: Somchai still links them, to more members.
    assert rows(
        graph, settings, "people_bridging_networks", **by_identifiers, include_hubs=True
    ) == [{**somchai, "linked_a": [BINH, CUONG, MARIA, JUAN], "linked_b": [BINH, MARIA, JUAN]}]
    # The analysis run put Somchai in Maria's network: he is no longer outside it.
    assert rows(graph, settings, "people_bridging_networks", person_a=AN, person_b=MARIA) == []


def test_analytics_network_members(graph: Driver, settings: Settings) -> None:
    def member(ref: str, name: str, pagerank: float, betweenness: float, broker: float) -> Any:
        return {
            "network": NETWORK_B,
            "network_rank": 1,
            "person": ref,
            "name": name,
            "pagerank": pagerank,
            "betweenness": betweenness,
            "broker_score": broker,
            "analysis_run": ANALYSIS_RUN,
        }

    assert rows(graph, settings, "analytics_network_members", person=JUAN) == [
        member(SOMCHAI, "Somchai Prasert", 0.27, 0.6, 0.9),
        member(MARIA, "Maria Santos", 0.31, 0.2, 0.4),
        member(JUAN, "Juan Reyes", 0.22, 0.0, 0.1),
    ]
    assert rows(graph, settings, "analytics_network_members", person=AN) == []


def test_network_queries_use_the_analytics_network_when_the_seed_has_one(
    graph: Driver, settings: Settings
) -> None:
    since = {"person": MARIA, "since": "2024-01-08"}
    analytics = rows(graph, settings, "new_identifiers_in_network", **since)
    assert [(r["identifier"], r["first_linked"], r["members"]) for r in analytics] == [
        (PH_SOMCHAI, at("2024-01-10T00:00"), [SOMCHAI]),
        (TG_PRASERT, at("2024-01-10T00:00"), [SOMCHAI]),
        (W_COLLECTOR, at("2024-01-12T00:00"), [SOMCHAI]),
        (PH_JUAN, at("2024-02-06T00:00"), [JUAN]),
    ]
    shared = rows(graph, settings, "new_identifiers_in_network", **since, use_analytics=False)
    assert [r["identifier"] for r in shared] == [PH_JUAN]
    paid = rows(graph, settings, "wallets_receiving_from_network", person=JUAN, min_senders=1)
    assert [(r["wallet"], r["senders"], r["amount"]) for r in paid] == [
        (W_MARIA_OUT, [MARIA], 0.01)
    ]


def test_ingest_runs_with_rejects(graph: Driver, settings: Settings) -> None:
    border = {
        "run": RUN_BORDER,
        "dataset": "border",
        "status": "failed",
        "started_at": at("2024-04-10T00:00"),
        "records_read": 10,
        "records_loaded": 9,
        "records_rejected": 1,
        "rejects_file": f"rejects/{RUN_BORDER}.jsonl",
        "error": "connection to the database lost",
    }
    telco = {
        "run": RUN_TELCO,
        "dataset": "telco",
        "status": "completed",
        "started_at": at("2024-04-05T00:00"),
        "records_read": 14,
        "records_loaded": 12,
        "records_rejected": 2,
        "rejects_file": f"rejects/{RUN_TELCO}.jsonl",
        "error": None,
    }
    assert rows(graph, settings, "ingest_runs_with_rejects") == [border, telco]
    assert rows(graph, settings, "ingest_runs_with_rejects", since="2024-04-06T00:00:00Z") == [
        border
    ]


def test_hub_identifiers(graph: Driver, settings: Settings) -> None:
    assert rows(graph, settings, "hub_identifiers") == [
        {
            "kind": "Phone",
            "identifier": PH_HOTLINE,
            "reason": "linked to 4 people (hub policy: >= 4)",
            "people_count": 4,
            "people": [AN, MARIA, GRACE, AUNG],
        },
        {
            "kind": "Location",
            "identifier": HOTEL,
            "reason": "busy hotel",
            "people_count": 2,
            "people": [AN, GRACE],
        },
        {
            "kind": "Wallet",
            "identifier": W_EXCHANGE,
            "reason": "exchange hot wallet",
            "people_count": 0,
            "people": [],
        },
    ]


def test_single_source_links(graph: Driver, settings: Settings) -> None:
    # An's use of the shared phone is asserted by police and telco: corroborated.
    assert rows(graph, settings, "single_source_links", dataset="telco") == [
        {
            "link": "REGISTERED_TO",
            "source": WA_AN,
            "target": PH_AN_BINH,
            "relation": None,
            "dataset": "telco",
            "records": 1,
        }
    ]
    everything = rows(graph, settings, "single_source_links")
    assert len(everything) == 24
    assert {
        "link": "ASSOCIATED_WITH",
        "source": CUONG,
        "target": SOMCHAI,
        "relation": "co_offender",
        "dataset": "police",
        "records": 1,
    } in everything
    assert not any(
        r["link"] == "USES" and r["source"] == AN and r["target"] == PH_AN_BINH for r in everything
    )


def test_every_query_has_an_exact_rows_test() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    section = source.split("# (b)")[1].split("# (c)")[0]
    untested = [q for q in ALL_IDS if f'"{q}"' not in section]
    assert untested == []


# (c) Writes are refused by the database, and nothing is written.


@pytest.mark.parametrize(
    "cypher",
    [
        "CREATE (p:Person {id: $ref}) RETURN p.id AS id",
        "MATCH (n) WHERE n.id <> $ref DETACH DELETE n RETURN count(*) AS gone",
    ],
)
def test_a_write_is_refused(graph: Driver, settings: Settings, tmp_path: Path, cypher: str) -> None:
    folder = tmp_path / "custom"
    folder.mkdir()
    (folder / "sneaky_write.yaml").write_text(
        "id: sneaky_write\n"
        "name: A query that writes\n"
        "category: custom\n"
        "description: Tries to change the graph.\n"
        "parameters:\n"
        "  ref: {type: string, description: a reference, example: 'police:Z9'}\n"
        f"cypher: '{cypher}'\n"
        "revision: 1\n",
        encoding="utf-8",
    )
    library = Library([BUILTIN_DIR, tmp_path])
    before = graph_counts(graph, settings.neo4j_database)
    with pytest.raises(
        QueryRefusedError, match=r"sneaky_write: refused: saved queries are read-only"
    ):
        run_saved_query(
            graph, library.get("sneaky_write"), {"ref": "police:Z9"}, settings.neo4j_database
        )
    assert graph_counts(graph, settings.neo4j_database) == before


# (d) Bad parameters give a clear ParameterError.


@pytest.mark.parametrize(
    ("query_id", "given", "message"),
    [
        ("phone_neighbourhood", {"phone": PH_SANTOS, "hops": "three"}, r"'hops' \(int\)"),
        ("phone_neighbourhood", {"phone": PH_SANTOS, "hops": 4}, r"'hops'.*above the maximum 3"),
        ("phone_neighbourhood", {"phone": PH_SANTOS, "hops": 0}, r"'hops'.*below the minimum 1"),
        ("people_sharing_phone", {"phone": "abc"}, r"'phone' \(phone\)"),
        ("wallet_neighbourhood", {"wallet": "0x1234"}, r"'wallet' \(wallet\)"),
        ("account_neighbourhood", {"account": "myspace:x"}, r"'account' \(account\)"),
        ("shared_identifiers", {"include_hubs": "maybe"}, r"'include_hubs'.*true or false"),
        ("co_travel", {"since": "yesterday-ish", "until": "2024-01-01"}, r"'since' \(datetime\)"),
        ("people_sharing_phone", {}, r"'phone' is required"),
        ("people_sharing_phone", {"phone": PH_SANTOS, "colour": "red"}, r"no parameter.*colour"),
    ],
)
def test_bad_parameters_are_refused_clearly(
    graph: Driver, settings: Settings, query_id: str, given: dict[str, Any], message: str
) -> None:
    with pytest.raises(ParameterError, match=message):
        run(graph, settings, query_id, **given)


# (e) The row limit reports truncation.


def test_row_limit_reports_truncation(graph: Driver, settings: Settings, tmp_path: Path) -> None:
    query = LIBRARY.get("wallet_neighbourhood")
    given = {"wallet": W_COLLECTOR}
    cut = run_saved_query(graph, query, given, settings.neo4j_database, row_limit=4)
    assert cut.truncated
    assert cut.row_limit == 4
    assert len(cut.rows) == 4
    whole = run_saved_query(graph, query, given, settings.neo4j_database, row_limit=9)
    assert not whole.truncated
    assert len(whole.rows) == 9
    # A query's own row limit caps what a caller asks for.
    folder = tmp_path / "custom"
    folder.mkdir()
    (folder / "two_people.yaml").write_text(
        "id: two_people\nname: At most two people\ncategory: custom\n"
        "description: People by id, two at most.\nparameters: {}\n"
        "cypher: MATCH (p:Person) RETURN p.id AS id ORDER BY id\nrevision: 1\nrow_limit: 2\n",
        encoding="utf-8",
    )
    capped = run_saved_query(
        graph, Library([tmp_path]).get("two_people"), {}, settings.neo4j_database, row_limit=50
    )
    assert capped.truncated
    assert [r["id"] for r in capped.rows] == [AN, BINH]


# (f) Injection attempts are only data.


@pytest.mark.parametrize(
    "evil", ["x' OR 1=1 //", "}) DETACH DELETE n //", "' RETURN 1 UNION MATCH (n) RETURN n //"]
)
@pytest.mark.parametrize(
    ("query_id", "param"),
    [
        ("person_identifiers", "person"),
        ("network_of_person", "person"),
        ("single_source_links", "dataset"),
    ],
)
def test_injection_is_treated_as_data(
    graph: Driver, settings: Settings, evil: str, query_id: str, param: str
) -> None:
    before = graph_counts(graph, settings.neo4j_database)
    assert rows(graph, settings, query_id, **{param: evil}) == []
    assert graph_counts(graph, settings.neo4j_database) == before


def test_injection_in_a_phone_is_rejected_before_the_database(
    graph: Driver, settings: Settings
) -> None:
    with pytest.raises(ParameterError, match="'phone'"):
        run(graph, settings, "people_sharing_phone", phone="+63917' OR 1=1 //")


# (g) National-format numbers find the E.164 node.


def test_national_phone_with_region_finds_the_e164_node(graph: Driver, settings: Settings) -> None:
    query = LIBRARY.get("people_sharing_phone")
    assert coerce_parameters(query, {"phone": "0917 123 4567"}) == {"phone": PH_AN_BINH}
    national = rows(graph, settings, "people_sharing_phone", phone="0917 123 4567")
    assert [r["person"] for r in national] == [AN, BINH]
    assert national == rows(graph, settings, "people_sharing_phone", phone=PH_AN_BINH)


def test_wallet_and_account_ids_as_shown_are_accepted() -> None:
    wallet = LIBRARY.get("wallet_neighbourhood")
    upper = "eth:0xAB5801A7D398351B8BE11C439E05C5B3259AEC9B"
    for raw in (W_COLLECTOR, upper, W_COLLECTOR.split(":", 1)[1]):
        assert coerce_parameters(wallet, {"wallet": raw})["wallet"] == W_COLLECTOR
    account = LIBRARY.get("account_neighbourhood")
    for raw in ("telegram:Ko_Min", "https://t.me/ko_min", "tg:@ko_min"):
        assert coerce_parameters(account, {"account": raw})["account"] == TG_KO_MIN


# (h) Bad query files name the file and the key.

GOOD = {
    "id": "probe",
    "name": "A probe query",
    "category": "custom",
    "description": "Finds a person by id.",
    "parameters": {"ref": {"type": "string", "description": "A ref.", "example": "police:A1"}},
    "cypher": "MATCH (p:Person {id: $ref}) RETURN p.id AS id",
    "revision": 1,
}


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        ({"colour": "red"}, "colour", "Extra inputs are not permitted"),
        (
            {"cypher": "MATCH (p:Person {id: $ref}) WHERE p.x = $other RETURN p"},
            "cypher",
            "undeclared parameter",
        ),
        (
            {
                "parameters": {
                    **GOOD["parameters"],  # type: ignore[dict-item]
                    "unused": {"type": "int", "description": "Not used.", "example": 1},
                }
            },
            "parameters",
            "never used",
        ),
        ({"category": "elsewhere"}, "category", "must match the folder 'custom'"),
        (
            {"parameters": {"ref": {"type": "person", "description": "A ref.", "example": "x"}}},
            "parameters.ref.type",
            "Input should be",
        ),
        (
            {"parameters": {"ref": {"type": "string", "description": "A ref."}}},
            "parameters.ref.example",
            "Field required",
        ),
    ],
)
def test_bad_query_file_names_file_and_key(
    tmp_path: Path, change: dict[str, Any], key: str, message: str
) -> None:
    import yaml

    folder = tmp_path / "custom"
    folder.mkdir()
    path = folder / "probe.yaml"
    path.write_text(yaml.safe_dump({**GOOD, **change}), encoding="utf-8")
    with pytest.raises(LibraryError) as caught:
        load_query(path)
    text = str(caught.value)
    assert str(path) in text
    assert f"key {key}:" in text
    assert message in text
    with pytest.raises(LibraryError, match=r"probe\.yaml"):
        Library([BUILTIN_DIR, tmp_path])


def test_good_probe_file_loads(tmp_path: Path) -> None:
    import yaml

    folder = tmp_path / "custom"
    folder.mkdir()
    (folder / "probe.yaml").write_text(yaml.safe_dump(GOOD), encoding="utf-8")
    assert Library([BUILTIN_DIR, tmp_path]).get("probe").category == "custom"


# (i) The CLI.


def test_cli_query_list_and_show() -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["query", "list"])
    assert listed.exit_code == 0, listed.output
    for query_id in ALL_IDS:
        assert query_id in listed.output
    assert "money:" in listed.output
    assert "data_quality:" in listed.output
    tagged = runner.invoke(main, ["query", "list", "--tag", "co-travel"])
    assert tagged.exit_code == 0
    assert "co_travel" in tagged.output
    assert "people_sharing_phone" not in tagged.output
    shown = runner.invoke(main, ["query", "show", "money_paths_between_wallets"])
    assert shown.exit_code == 0, shown.output
    assert "--param hops=...  int, default 3" in shown.output
    assert "TRANSFERRED" in shown.output
    missing = runner.invoke(main, ["query", "show", "money_paths"])
    assert missing.exit_code != 0
    assert "did you mean money_paths_between_wallets" in missing.output


def test_cli_query_run_json_csv_table(graph: Driver) -> None:
    runner = CliRunner()
    args = ["query", "run", "people_sharing_phone", "--param", "phone=0917 123 4567"]
    as_json = runner.invoke(main, [*args, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    payload = json.loads(as_json.output)
    assert payload["query"] == "people_sharing_phone"
    assert [r["person"] for r in payload["rows"]] == [AN, BINH]
    assert payload["truncated"] is False
    as_csv = runner.invoke(main, [*args, "--format", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    lines = as_csv.output.strip().splitlines()
    assert lines[0] == "person,name,role,first_seen,last_seen,datasets,phone_is_hub"
    assert lines[1].startswith(f"{AN},Nguyen Van An,user,")
    assert len(lines) == 3
    as_table = runner.invoke(main, [*args, "--format", "table"])
    assert as_table.exit_code == 0, as_table.output
    assert "Tran Thi Binh" in as_table.output
    assert "person" in as_table.output.splitlines()[0]
    limited = runner.invoke(main, [*args, "--limit", "1"])
    assert limited.exit_code == 0
    assert "more rows exist" in limited.output
    bad = runner.invoke(main, ["query", "run", "phone_neighbourhood", "--param", "phone=abc"])
    assert bad.exit_code != 0
    assert "'phone' (phone)" in bad.output
