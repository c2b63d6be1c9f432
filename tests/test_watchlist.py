"""The watchlist: values normalised exactly as at ingest, the CLI, and webhook alerts
delivered to a real local HTTP server (retries, a delivery log, nothing lost)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from neo4j import Driver

from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import GraphModel, load_model
from ingest.loader import Loader
from linkgraph.cli import main
from reports.run import run_report
from reports.settings import ReportSettings
from tests.ingest_fixtures import write_fixtures
from tests.test_reports import WATCHED, build_scenario
from watchlist.entries import (
    WatchlistError,
    add_entry,
    list_entries,
    normalise_value,
    remove_entry,
)
from watchlist.webhook import Webhook, WebhookError


class Receiver:
    """A real HTTP server on loopback that answers with the statuses it is told."""

    def __init__(self) -> None:
        self.statuses: list[int] = []  # answers to give, in order; then 200
        self.bodies: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                if status == 200:
                    receiver.bodies.append(json.loads(body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook?token=s3cret"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver for one test."""
    r = Receiver()
    yield r
    r.close()


def _log(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / "deliveries.jsonl").read_text().splitlines()]


def test_delivery_is_retried_until_accepted(receiver: Receiver, tmp_path: Path) -> None:
    receiver.statuses = [503, 502]
    pauses: list[float] = []
    hook = Webhook(receiver.url, tmp_path, attempts=4, backoff_s=0.5, sleep=pauses.append)
    (delivery,) = hook.send("d1", {"hits": [1]})
    assert delivery.delivered
    assert delivery.attempts == 3
    assert pauses == [0.5, 1.0]
    assert receiver.bodies == [{"hits": [1]}]
    assert hook.pending() == []
    (line,) = _log(tmp_path)
    assert line["delivered"] is True
    assert line["attempts"] == 3
    assert "s3cret" not in line["url"]  # the query (often a token) is not logged


def test_a_failed_delivery_is_logged_and_sent_again_later(
    receiver: Receiver, tmp_path: Path
) -> None:
    receiver.statuses = [500, 500, 500]
    hook = Webhook(receiver.url, tmp_path, attempts=3, backoff_s=0, sleep=lambda _: None)
    (failed,) = hook.send("d1", {"n": 1})
    assert not failed.delivered
    assert failed.status == 500
    assert [p.name for p in hook.pending()] == ["d1.json"]
    assert _log(tmp_path)[-1] == {
        **_log(tmp_path)[-1],
        "delivered": False,
        "attempts": 3,
        "error": "HTTP 500",
    }
    # The receiver is back: the kept delivery goes first, then the new one.
    results = hook.send("d2", {"n": 2})
    assert [(d.delivery_id, d.delivered) for d in results] == [("d1", True), ("d2", True)]
    assert receiver.bodies == [{"n": 1}, {"n": 2}]
    assert hook.pending() == []
    assert [line["delivered"] for line in _log(tmp_path)] == [False, True, True]


def test_an_unreachable_receiver_is_logged_not_lost(tmp_path: Path) -> None:
    dead = Receiver()
    url = dead.url
    dead.close()  # nothing listens on that port any more
    hook = Webhook(url, tmp_path, attempts=2, backoff_s=0, timeout_s=2)
    (delivery,) = hook.send("d1", {"n": 1})
    assert not delivery.delivered
    assert delivery.status is None
    assert delivery.error is not None
    assert "Connection refused" in delivery.error or "URLError" in delivery.error
    assert [p.name for p in hook.pending()] == ["d1.json"]
    with pytest.raises(WebhookError, match="must be http"):
        Webhook("file:///etc/passwd", tmp_path)


def test_every_5xx_is_retried(receiver: Receiver, tmp_path: Path) -> None:
    receiver.statuses = [501, 507]
    hook = Webhook(receiver.url, tmp_path, attempts=4, backoff_s=0, sleep=lambda _: None)
    (delivery,) = hook.send("d1", {"n": 1})
    assert (delivery.delivered, delivery.attempts, delivery.status) == (True, 3, 200)


def test_4xx_is_not_retried(receiver: Receiver, tmp_path: Path) -> None:
    receiver.statuses = [400]
    hook = Webhook(receiver.url, tmp_path, attempts=4, backoff_s=0, sleep=lambda _: None)
    (delivery,) = hook.send("d1", {"n": 1})
    assert (delivery.delivered, delivery.attempts, delivery.status) == (False, 1, 400)
    assert len(hook.pending()) == 1


@pytest.mark.neo4j
def test_report_posts_its_hits(
    driver: Driver, settings: Settings, receiver: Receiver, tmp_path: Path
) -> None:
    scenario = build_scenario(driver, settings, tmp_path / "scenario")
    assert scenario.result.deliveries == []  # no webhook configured there
    # Both hits are still hits against the same baseline when asked --since it.
    result = run_report(
        scenario.driver,
        scenario.model,
        scenario.database,
        tmp_path / "reports",
        ReportSettings(webhook_url=receiver.url),
        since=scenario.first_run,
    )
    (delivery,) = result.deliveries
    assert delivery.delivered
    (body,) = receiver.bodies
    assert body["report_id"] == result.data.report_id
    assert sorted((h["kind"], h["node_id"]) for h in body["hits"]) == [
        ("network", WATCHED),
        ("record", WATCHED),
    ]


@pytest.mark.neo4j
def test_a_bad_webhook_url_is_refused_before_the_report_is_made(
    empty_graph: Driver, settings: Settings, tmp_path: Path
) -> None:
    # The graph is empty: reaching the report itself would fail with "no analysis run".
    with pytest.raises(WebhookError, match="must be http"):
        run_report(
            empty_graph,
            load_model(),
            settings.neo4j_database,
            tmp_path / "reports",
            ReportSettings(webhook_url="ftp://example.org/hook"),
        )
    assert not (tmp_path / "reports").exists()


@pytest.mark.neo4j
def test_values_are_normalised_as_at_ingest(
    empty_graph: Driver, settings: Settings, tmp_path: Path
) -> None:
    db = settings.neo4j_database
    model = load_model()
    apply_schema(empty_graph, model, db)
    mappings = write_fixtures(tmp_path)
    loader = Loader.from_settings(empty_graph, model, settings, 100)
    for name in ("subscribers", "calls", "transfers"):
        loader.load(mappings[name], rejects_dir=tmp_path / "rejects")
    phones = {r["id"] for r in empty_graph.execute_query("MATCH (p:Phone) RETURN p.id AS id")[0]}
    wallets = {r["id"] for r in empty_graph.execute_query("MATCH (w:Wallet) RETURN w.id AS id")[0]}
    # Three ways of writing one number, as three sources did.
    for raw, region in (
        ("+63 917 123 4567", None),
        ("0917 123 4567", "PH"),
        ("0063 917 123 4567", None),
    ):
        assert normalise_value("phone", raw, region=region) == "+639171234567"
    assert "+639171234567" in phones
    wallet = normalise_value("wallet", "0x52908400098527886E0F7030069857D2E4169EE7")
    assert wallet in wallets
    assert normalise_value("account", "https://t.me/SomeUser") == normalise_value(
        "account", "@someuser", platform="telegram"
    )
    assert normalise_value("person", "passport:vn:c1234567") == "passport:VN:C1234567"
    assert normalise_value("person", "vn_telco:S1") == "vn_telco:S1"
    add_entry(empty_graph, model, db, "phone", "0917 123 4567", "tip", region="PH")
    add_entry(empty_graph, model, db, "phone", "+63 917 123 4567", "same, new reason")
    (entry,) = list_entries(empty_graph, model, db)
    assert entry.id == "Phone:+639171234567"
    assert entry.reason == "same, new reason"
    for kind, value, message in (
        ("phone", "12345", "phone '12345'"),
        ("wallet", "0xnot-a-wallet", "wallet '0xnot-a-wallet'"),
        ("person", "nobody", "give the person id"),
        ("vehicle", "AB123", "unknown kind 'vehicle'"),
    ):
        with pytest.raises(WatchlistError, match=message):
            add_entry(empty_graph, model, db, kind, value, "why")
    with pytest.raises(WatchlistError, match="a reason is required"):
        add_entry(empty_graph, model, db, "phone", "+639171234567", "  ")
    remove_entry(empty_graph, model, db, "phone", "0063 917 123 4567")
    assert list_entries(empty_graph, model, db) == []
    with pytest.raises(WatchlistError, match="is not on the watchlist"):
        remove_entry(empty_graph, model, db, "phone", "+639171234567")


@pytest.mark.neo4j
def test_watchlist_commands(empty_graph: Driver, settings: Settings) -> None:
    model: GraphModel = load_model()
    apply_schema(empty_graph, model, settings.neo4j_database)
    runner = CliRunner()
    add = runner.invoke(
        main, ["watchlist", "add", "phone", "0917 555 0101", "--region", "PH", "--reason", "tip"]
    )
    assert add.exit_code == 0, add.output
    assert "watching Phone:+639175550101 (tip)" in add.output
    listed = runner.invoke(main, ["watchlist", "list"])
    assert "Phone:+639175550101\ttip" in listed.output
    bad = runner.invoke(main, ["watchlist", "add", "phone", "12345", "--reason", "x"])
    assert bad.exit_code == 1
    assert bad.output.startswith("Error: phone '12345'")
    assert len(bad.output.strip().splitlines()) == 1
    gone = runner.invoke(main, ["watchlist", "remove", "phone", "+639175550101"])
    assert gone.exit_code == 0
    assert "the watchlist is empty" in runner.invoke(main, ["watchlist", "list"]).output
