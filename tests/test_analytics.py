"""`linkgraph analyze` on the demo investigation in the real Neo4j: recovery, brokers,
write-back, runs, reproducibility, hubs, and the GDS engine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import igraph as ig
import pytest
from click.testing import CliRunner
from neo4j import Driver

from analytics.pipeline import AnalysisSummary, run_analysis
from analytics.projection import project_persons
from analytics.roles import roles_of
from analytics.runs import latest_run, list_runs
from analytics.settings import AnalyticsSettings
from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import GraphModel, load_model
from ingest.loader import Loader
from linkgraph.cli.analytics import analyze
from linkgraph.demo import demo_mappings
from tests.conftest import wipe

pytestmark = pytest.mark.neo4j

TRUTH = json.loads((Path(__file__).parent.parent / "demo" / "data" / "truth.json").read_text())


@pytest.fixture(scope="module")
def demo_graph(
    driver: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Driver]:
    """The demo investigation loaded once for this module (the graph is wiped first)."""
    wipe(driver, settings.neo4j_database)
    model = load_model()
    apply_schema(driver, model, settings.neo4j_database)
    loader = Loader.from_settings(driver, model, settings)
    rejects = tmp_path_factory.mktemp("rejects")
    for mapping in demo_mappings():
        loader.load(mapping, rejects_dir=rejects)
    return driver


@pytest.fixture(scope="module")
def model() -> GraphModel:
    """The shipped graph model."""
    return load_model()


def _ari_over_planted(summary: AnalysisSummary) -> float:
    truth, found = [], []
    for k, network in enumerate(TRUTH["networks"]):
        for member in network["members"]:
            for pid in member["person_ids"]:
                truth.append(k)
                found.append(summary.community_of(pid))
    return float(ig.compare_communities(truth, found, method="adjusted_rand"))


def test_demo_networks_recovered_and_broker_found(
    demo_graph: Driver, model: GraphModel, settings: Settings
) -> None:
    summary = run_analysis(demo_graph, model, settings.neo4j_database, AnalyticsSettings())
    assert _ari_over_planted(summary) >= 0.9
    top3 = {summary.person_ids[b.person] for b in summary.brokers[:3]}
    assert top3 & set(TRUTH["broker"]["person_ids"])
    # The planted networks are what an analyst should look at first.
    planted = {summary.community_of(n["members"][0]["person_ids"][0]) for n in TRUTH["networks"]}
    assert planted <= {n.community for n in summary.networks[:4]}
    text = summary.describe()
    assert "networks of 3+ people" in text
    assert "top brokers:" in text


def test_write_back_and_runs_are_kept(
    demo_graph: Driver, model: GraphModel, settings: Settings
) -> None:
    db = settings.neo4j_database
    first = run_analysis(demo_graph, model, db, AnalyticsSettings(seed=3))
    second = run_analysis(demo_graph, model, db, AnalyticsSettings(seed=3))
    assert first.membership == second.membership  # same input and seed, same partition
    runs = list_runs(demo_graph, model, db)
    assert [r["run_id"] for r in runs[:2]] == [second.run.run_id, first.run.run_id]
    latest = latest_run(demo_graph, model, db)
    assert latest is not None
    assert latest["run_id"] == second.run.run_id
    assert latest["status"] == "completed"
    assert {"projection", "communities", "brokers", "centrality", "write-back"} <= set(
        json.loads(latest["timings"])
    )
    assert json.loads(latest["versions"])["igraph"]
    assert latest["modularity"] == pytest.approx(second.run.modularity)
    # Earlier runs stay readable: their networks are still there.
    rows, _, _ = demo_graph.execute_query(
        "MATCH (n:Network) RETURN n.run_id AS run, count(*) AS n, "
        "sum(size(n.members)) AS members ORDER BY run",
        database_=db,
    )
    counts = {r["run"]: r["n"] for r in rows}
    assert {k: counts[k] for k in (first.run.run_id, second.run.run_id)} == {
        first.run.run_id: first.run.networks,
        second.run.run_id: second.run.networks,
    }
    boss = TRUTH["networks"][0]["members"][0]["person_ids"][0]
    rows, _, _ = demo_graph.execute_query(
        "MATCH (p:Person {id: $id}) RETURN p.community AS c, p.network_id AS net, "
        "p.network_rank AS rank, p.pagerank AS pr, p.analysis_run AS run",
        id=boss,
        database_=db,
    )
    assert rows[0]["c"] == second.community_of(boss)
    assert rows[0]["net"] == f"{second.run.run_id}:{rows[0]['c']}"
    assert rows[0]["rank"] >= 1
    assert rows[0]["pr"] > 0
    net, _, _ = demo_graph.execute_query(
        "MATCH (n:Network {id: $id}) RETURN n.components AS c, n.key_people AS k",
        id=rows[0]["net"],
        database_=db,
    )
    components = json.loads(net[0]["c"])
    assert set(components) >= {
        "size",
        "density",
        "sharing",
        "countries",
        "money",
        "brokers",
        "growth",
    }
    assert components["growth"]["figure"] == 0.0  # nothing new since the first run


def test_hub_identifiers_are_left_out(
    demo_graph: Driver, model: GraphModel, settings: Settings
) -> None:
    graph = project_persons(
        demo_graph, roles_of(model), AnalyticsSettings(), settings.neo4j_database
    )
    hub = f"{TRUTH['hub']['label']}:{TRUTH['hub']['id']}"
    assert hub not in graph.identifiers
    assert graph.hubs_left_out >= 1
    # The agency's staff are not glued together through the hotline.
    staff = [graph.person_ids.index(p) for p in TRUTH["hub"]["person_ids"] if p in graph.person_ids]
    glued = [(a, b) for a in staff for b in staff if a < b and graph.weight(a, b) > 0]
    assert len(glued) < len(staff)


def test_gds_engine_agrees_with_python(
    demo_graph: Driver, model: GraphModel, settings: Settings
) -> None:
    db = settings.neo4j_database
    python = run_analysis(demo_graph, model, db, AnalyticsSettings(), write=False)
    gds = run_analysis(demo_graph, model, db, AnalyticsSettings(engine="gds"), write=False)
    agreement = ig.compare_communities(python.membership, gds.membership, method="nmi")
    print(
        f"GDS vs python on the demo: NMI {agreement:.3f}, planted ARI {_ari_over_planted(gds):.3f}"
    )
    assert agreement >= 0.85
    assert _ari_over_planted(gds) >= 0.9
    assert gds.run.versions["gds"]


def test_cli_analyze(demo_graph: Driver) -> None:
    result = CliRunner().invoke(analyze, ["--algorithm", "louvain", "--seed", "1", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "#1 network" in result.output
    bad = CliRunner().invoke(analyze, ["--resolution", "-1"])
    assert bad.exit_code != 0
