"""Entity resolution on the real Neo4j: the demo's truth, judgements, undo, split, re-ingest.

The demo's generator knows which Person ids are one human (`truth.json`, `people`);
resolution runs on the loaded demo exactly as `make demo` runs it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any, cast

import pytest
from neo4j import Driver, Query

from analytics.pipeline import run_analysis
from core.settings import Settings
from graph_schema.loader import GraphModel
from graph_schema.locks import JobLockStore
from ingest.loader import Loader
from linkgraph.demo import demo_mappings
from reports.build import build_report
from reports.render_html import render_html
from reports.render_md import render_markdown
from reports.settings import ReportSettings
from resolution import judgements
from resolution.clusters import Verdict
from resolution.graph import read_records
from resolution.judgements import JudgementError
from resolution.lock import LEASE_NAME
from resolution.run import (
    identity_of,
    judge,
    review_queue,
    run_resolution,
    split,
    undo,
    undo_merge,
)
from resolution.settings import ResolutionSettings
from resolution.show import identity_view
from tests.api_server import load_demo_graph

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parent.parent
TRUTH = json.loads((ROOT / "demo" / "data" / "truth.json").read_text(encoding="utf-8"))
SETTINGS = ResolutionSettings()
RAMON = ("nid:PH:5173745908136669", "passport:PH:P1066580H")


@pytest.fixture(scope="module")
def demo(
    driver: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphModel]:
    model = load_demo_graph(driver, settings, tmp_path_factory.mktemp("rejects"))
    run_resolution(driver, model, settings.neo4j_database, SETTINGS)
    return model


def identities(driver: Driver, database: str) -> set[frozenset[str]]:
    records, _, _ = driver.execute_query(
        "MATCH (i:Identity) RETURN i.members AS members", database_=database
    )
    return {frozenset(r["members"]) for r in records}


def pairs_of(groups: set[frozenset[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups for p in combinations(g, 2)}  # type: ignore[misc]


def together(driver: Driver, database: str, a: str, b: str) -> bool:
    return any(a in g and b in g for g in identities(driver, database))


def test_demo_truth_precision_and_recall(
    demo: GraphModel, driver: Driver, settings: Settings
) -> None:
    true = {
        tuple(sorted(p)) for human in TRUTH["people"] for p in combinations(human["person_ids"], 2)
    }
    found = pairs_of(identities(driver, settings.neo4j_database))
    hit = found & true
    precision, recall = len(hit) / len(found), len(hit) / len(true)
    print(
        f"demo truth: {len(found)} pairs found, {len(true)} true; P {precision:.3f} R {recall:.3f}"
    )
    assert precision >= 0.98
    assert recall >= 0.85


def test_every_record_of_the_demo_is_read(
    demo: GraphModel, driver: Driver, settings: Settings
) -> None:
    records = read_records(driver, demo, settings.neo4j_database)
    assert len(records) == sum(len(h["person_ids"]) for h in TRUTH["people"])
    # Document keys carry their document; source-scoped references carry none.
    by_id = {r.id: r for r in records}
    assert by_id[RAMON[1]].documents == (RAMON[1],)
    assert by_id["seized_devices:EXH-2025-0821-A/c001"].documents == ()


def test_an_account_holder_holds_the_number_it_is_registered_to(
    demo: GraphModel, driver: Driver, settings: Settings
) -> None:
    """An agency's staff give its hotline (a hub) and their own WhatsApp in adverts."""
    database = settings.neo4j_database
    by_id = {r.id: r for r in read_records(driver, demo, database)}
    poster = by_id["job_adverts:trabaho-now.ph:gb1040"]
    subscriber = by_id["nid:PH:7855710929740002"]
    assert TRUTH["hub"]["id"] not in {x.split(":", 1)[1] for x in poster.identifiers}
    # The poster holds the WhatsApp account; the number it is registered to is the one
    # the staff member's national-id record uses.
    shared = set(poster.identifiers) & set(subscriber.identifiers)
    assert [x.split(":", 1)[0] for x in shared] == ["Phone"]
    assert together(driver, database, poster.id, subscriber.id)


def test_key_people_are_each_human_once_or_wait_for_review(
    demo: GraphModel, driver: Driver, settings: Settings
) -> None:
    """A human twice among a network's key people is a pair the queue puts to analysts."""
    database = settings.neo4j_database
    run_analysis(driver, demo, database)
    human_of = {pid: h["key"] for h in TRUTH["people"] for pid in h["person_ids"]}
    records, _, _ = driver.execute_query(
        "MATCH (r:AnalysisRun {status: 'completed'}) WITH r ORDER BY r.started_at DESC LIMIT 1 "
        "MATCH (n:Network {run_id: r.run_id}) RETURN n.key_people AS key_people",
        database_=database,
    )
    assert records
    queued = {(r["a"], r["b"]) for r in review_queue(driver, demo, database, limit=1000)}
    twice = []
    for r in records:
        for a, b in combinations(sorted(r["key_people"]), 2):
            if human_of[a] == human_of[b]:
                twice.append((a, b))
    print(f"key people twice: {twice}")
    for a, b in twice:
        ours, theirs = (
            identity_of(driver, demo, database, a),
            identity_of(driver, demo, database, b),
        )
        assert any(tuple(sorted((x, y))) in queued for x in ours for y in theirs), (a, b)
    assert len(twice) <= 1
    # The report says which key people may be one human until the pair is judged.
    data, _ = build_report(driver, demo, database, ReportSettings(top_networks=len(records)))
    flagged = {(m.a, m.b) for net in data.networks for m in net.maybe_same}
    assert set(twice) <= flagged
    assert all(human_of[a] == human_of[b] for a, b in flagged)
    if twice:
        assert "may be one person" in render_markdown(data)
        assert "May be one person, waiting for review" in render_html(data, defaultdict(bytes), {})
    # Ramon Dizon's two halves are one vertex: both records carry one network.
    got, _, _ = driver.execute_query(
        "MATCH (p:Person) WHERE p.id IN $ids RETURN collect(DISTINCT p.network_id) AS nets",
        ids=list(RAMON),
        database_=database,
    )
    assert len(got[0]["nets"]) == 1
    assert got[0]["nets"][0] is not None


def test_not_same_beats_an_automatic_merge_and_survives_rescoring(
    demo: GraphModel, driver: Driver, settings: Settings
) -> None:
    database = settings.neo4j_database
    assert together(driver, database, *RAMON)
    made = undo_merge(driver, demo, database, SETTINGS, RAMON, "two men, one name", "test")
    assert made.verdict is Verdict.DIFFERENT
    assert made.origin == "undo-merge"
    assert not together(driver, database, *RAMON)
    # The score is unchanged by a new run; the judgement still holds them apart.
    run_resolution(driver, demo, database, SETTINGS)
    assert not together(driver, database, *RAMON)
    undo(driver, demo, database, SETTINGS, made.id, "test")
    assert together(driver, database, *RAMON)
    with pytest.raises(JudgementError):
        undo(driver, demo, database, SETTINGS, made.id, "test")  # already undone


def test_judge_same_then_undo(demo: GraphModel, driver: Driver, settings: Settings) -> None:
    database = settings.neo4j_database
    a, b = "nid:PH:1119510604969855", "seized_devices:EXH-2025-0821-A/c010"
    assert not together(driver, database, a, b)
    made = judge(driver, demo, database, SETTINGS, (a, b), Verdict.SAME, "seen together", "t")
    assert together(driver, database, a, b)
    [stored] = [j for j in judgements.history(driver, demo, database, [a]) if j.id == made.id]
    assert (stored.by, stored.reason, stored.verdict) == ("t", "seen together", Verdict.SAME)
    undo(driver, demo, database, SETTINGS, made.id, "t")
    assert not together(driver, database, a, b)
    kept = [j for j in judgements.history(driver, demo, database, [a]) if j.id == made.id]
    assert kept
    assert kept[0].undone_at is not None
    assert kept[0].undone_by == "t"


def test_a_judgement_waits_for_another_rebuild_then_records_nothing(
    demo: GraphModel, driver: Driver, settings: Settings
) -> None:
    database = settings.neo4j_database
    a, b = "nid:PH:1119510604969855", "seized_devices:EXH-2025-0821-A/c010"
    before = judgements.history(driver, demo, database, [a])
    # Another process (an API worker, a scheduled run elsewhere) is rebuilding.
    locks = JobLockStore(driver, demo, database)
    assert locks.acquire(LEASE_NAME, "elsewhere", 60)
    try:
        with pytest.raises(JudgementError, match="try again"):
            judge(driver, demo, database, SETTINGS, (a, b), Verdict.SAME, "why", "t", wait_s=0.5)
        assert judgements.history(driver, demo, database, [a]) == before
    finally:
        locks.release(LEASE_NAME, "elsewhere")
    made = judge(driver, demo, database, SETTINGS, (a, b), Verdict.SAME, "why", "t", wait_s=0.5)
    assert together(driver, database, a, b)
    assert locks.holder(LEASE_NAME) is None  # given back
    undo(driver, demo, database, SETTINGS, made.id, "t")
    assert not together(driver, database, a, b)


class _Recording:
    """The real driver, noting the transaction timeout each query is sent with."""

    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        self.timeouts: list[float | None] = []

    def execute_query(self, query: Query | str, *args: Any, **kwargs: Any) -> Any:
        self.timeouts.append(query.timeout if isinstance(query, Query) else None)
        return self.driver.execute_query(query, *args, **kwargs)


def test_identity_and_queue_reads_carry_the_request_budget(
    demo: GraphModel, driver: Driver, settings: Settings
) -> None:
    database = settings.neo4j_database
    recording = _Recording(driver)
    spy = cast(Driver, recording)
    assert review_queue(spy, demo, database, 5, 0, timeout_s=7)
    view = identity_view(spy, demo, database, RAMON[0], timeout_s=7)
    assert RAMON[0] in view.record_ids
    # Every read went out with the budget, so the database ends it there.
    assert recording.timeouts == [7, 7, 7]


def test_bad_judgements_are_refused(demo: GraphModel, driver: Driver, settings: Settings) -> None:
    database = settings.neo4j_database
    with pytest.raises(JudgementError, match="no person"):
        judge(driver, demo, database, SETTINGS, (RAMON[0], "nid:XX:nobody"), Verdict.SAME, "x", "t")
    with pytest.raises(JudgementError, match="reason"):
        judge(driver, demo, database, SETTINGS, RAMON, Verdict.SAME, "  ", "t")
    with pytest.raises(JudgementError, match="itself"):
        judge(driver, demo, database, SETTINGS, (RAMON[0], RAMON[0]), Verdict.SAME, "x", "t")


def test_split_and_undo_the_split(demo: GraphModel, driver: Driver, settings: Settings) -> None:
    database = settings.neo4j_database
    groups = sorted(identities(driver, database), key=lambda g: (-len(g), sorted(g)))
    group = sorted(groups[0])
    assert len(group) >= 3
    out = group[0]
    made = split(driver, demo, database, SETTINGS, [out], "another person", "t")
    assert len(made) == len(group) - 1
    assert made[0].batch
    assert identity_of(driver, demo, database, out) == [out]
    rest = identity_of(driver, demo, database, group[1])
    assert set(rest) == set(group[1:])
    undo(driver, demo, database, SETTINGS, made[0].batch or "", "t")
    assert set(identity_of(driver, demo, database, out)) == set(group)


def test_a_chain_of_scores_never_crosses_a_not_same(
    demo: GraphModel, driver: Driver, settings: Settings
) -> None:
    database = settings.neo4j_database
    group = sorted(max(identities(driver, database), key=len))
    first, last = group[0], group[-1]
    made = judge(driver, demo, database, SETTINGS, (first, last), Verdict.DIFFERENT, "no", "t")
    assert not together(driver, database, first, last)
    run_resolution(driver, demo, database, SETTINGS)
    assert not together(driver, database, first, last)
    undo(driver, demo, database, SETTINGS, made.id, "t")


def test_review_queue_is_ordered_and_explained(
    demo: GraphModel, driver: Driver, settings: Settings
) -> None:
    rows = review_queue(driver, demo, settings.neo4j_database, limit=50)
    assert rows, "the demo leaves pairs to review"
    values = [r["value"] for r in rows]
    assert values == sorted(values, reverse=True)
    for r in rows:
        assert SETTINGS.review_probability <= r["probability"] < SETTINGS.merge_probability
        assert next(p["comparison"] for p in r["explanation"]) == "name"


def test_reingest_keeps_judgements_and_identities(
    demo: GraphModel, driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    database = settings.neo4j_database
    a, b = "nid:PH:1119510604969855", "seized_devices:EXH-2025-0821-A/c010"
    made = judge(driver, demo, database, SETTINGS, (a, b), Verdict.SAME, "kept", "t")
    different = undo_merge(driver, demo, database, SETTINGS, RAMON, "kept apart", "t")
    before = identities(driver, database)
    loader = Loader.from_settings(driver, demo, settings)
    for mapping in demo_mappings():
        loader.load(mapping, rejects_dir=tmp_path)
    run_resolution(driver, demo, database, SETTINGS)
    assert identities(driver, database) == before
    assert together(driver, database, a, b)
    assert not together(driver, database, *RAMON)
    in_force = {j.judgement_id for j in judgements.in_force(driver, demo, database)}
    assert {made.id, different.id} <= in_force
    undo(driver, demo, database, SETTINGS, made.id, "t")
    undo(driver, demo, database, SETTINGS, different.id, "t")
