// The explorer page: search, expand, details with provenance, networks, paths,
// timeline, map and export, all read through the GraphQL API.
import * as api from "./api.js";
import { definitionList, evidenceTable } from "./details.js";
import { $, button, element } from "./dom.js";
import { download, toGraphml, toJson, toPng } from "./export.js";
import { WorldMap } from "./map.js";
import { breakdownTable, networkGraph } from "./networks.js";
import { guarded, say } from "./status.js";
import { Timeline } from "./timeline.js";
import { COLOURS, View } from "./view.js";

// Most nodes the page draws at once: beyond it an expansion is refused, not drawn,
// so that no click can freeze the tab.
const MAX_VIEW_NODES = 5000;

const view = new View($("graph"));
const timeline = new Timeline(view);
const worldMap = new WorldMap($("map"), $("map-note"));
const timings = [];
const state = { lastExpand: null, pathFrom: null, pathTo: null };

// -- after every change of the drawing ---------------------------------------------

/** Redraw after the graph changed; the layout runs on in its worker, not awaited. */
function changed({ layout = true } = {}) {
  timeline.update();
  worldMap.show(view.graph, (id) => guarded(() => showNode(id)));
  view.renderer.refresh();
  if (layout) view.runLayout();
}

// -- search --------------------------------------------------------------------------

const ID_PATTERN = /^[A-Z][A-Za-z]*:\S.*$/;

async function search(text) {
  text = text.trim();
  if (!text) return say("Type a phone number, a name, a handle, a wallet address or an id.", "warn");
  const list = $("results");
  list.replaceChildren();
  const found = [];
  if (ID_PATTERN.test(text)) {
    const { node } = await api.gql(api.NODE, { id: text });
    if (node) found.push(node);
  }
  const { search: page } = await api.gql(api.SEARCH, { text });
  for (const node of page.nodes) if (!found.some((n) => n.id === node.id)) found.push(node);
  if (!found.length) {
    say(`Nothing found for “${text}”.`, "warn");
    return found;
  }
  for (const node of found) {
    const item = element("li");
    const hub = node.hub ? " — hub" : "";
    item.append(button(`${node.caption} (${node.label}${hub})`, () => guarded(() => open(node)), {
      class: "link", "data-id": node.id,
    }));
    list.append(item);
  }
  say(`${found.length} found for “${text}”; exact identifier matches first.`);
  return found;
}

/** Draw one entity, show it and expand it (a hub is drawn, not expanded). */
async function open(entity) {
  view.addNode(entity);
  if (!entity.hub) await expand(entity.id);
  else {
    sayHub(entity.caption);
    changed();
  }
  await showNode(entity.id);
}

function sayHub(caption) {
  say(`${caption} is a hub identifier (shared by unusually many people): drawn, not expanded.`,
    "warn");
}

/** Open an entity by id (the page's #node=<id>); an unknown id is said so. */
async function openId(id) {
  const { node } = await api.gql(api.NODE, { id });
  if (!node) return say(`No entity has the id “${id}”.`, "error");
  return open(node);
}

// -- expand ----------------------------------------------------------------------------

function filters() {
  const boxes = [...document.querySelectorAll("#rel-types input")];
  const types = boxes.filter((b) => b.checked).map((b) => b.value);
  const since = $("since").value ? `${$("since").value}T00:00:00Z` : null;
  const until = $("until").value ? `${$("until").value}T23:59:59Z` : null;
  return { types: types.length === boxes.length ? null : types, since, until };
}

function cap() {
  const value = Number.parseInt($("cap").value, 10);
  return Math.min(500, Math.max(5, Number.isFinite(value) ? value : 40));
}

/**
 * Add a node's neighbourhood to the drawing, at most `cap` nodes per click; `more`
 * asks the same neighbourhood again with room for `cap` more.
 */
async function expand(id, more = false) {
  const attributes = view.graph.hasNode(id) ? view.graph.getNodeAttributes(id) : null;
  if (attributes?.hub && !more) {
    sayHub(attributes.caption);
    return null;
  }
  const same = state.lastExpand && state.lastExpand.id === id;
  const limit = more && same ? state.lastExpand.limit + cap() : cap();
  if (view.graph.order + cap() > MAX_VIEW_NODES) {
    say(`The view holds ${view.graph.order} nodes, near its limit of ${MAX_VIEW_NODES}: ` +
      "clear it or export it before expanding more.", "warn");
    return null;
  }
  const { types, since, until } = filters();
  const { neighbourhood: hood } = await api.gql(api.NEIGHBOURHOOD, {
    id, types, since, until, limit, depth: 1,
  });
  if (!hood) {
    say(`No entity has the id “${id}”.`, "error");
    return null;
  }
  const centre = hood.centre[0] ?? id;
  let added = 0;
  for (const node of hood.nodes) if (view.addNode(node, centre)) added += 1;
  for (const edge of hood.edges) view.addEdge(edge);
  if (view.graph.hasNode(id)) view.graph.setNodeAttribute(id, "expanded", true);
  state.lastExpand = { id, limit };
  const caption = view.graph.hasNode(id) ? view.graph.getNodeAttribute(id, "caption") : id;
  const hubs = hood.collapsedHubs.length;
  const hubNote = hubs ? ` ${hubs} hub identifier${hubs === 1 ? "" : "s"} drawn, not expanded.` : "";
  $("show-more").hidden = !hood.truncated;
  if (hood.truncated) {
    say(`${caption}: showing the nearest ${hood.nodes.length} nodes; the neighbourhood is ` +
      `larger and was capped at ${limit} (“Show more” adds ${cap()} more).${hubNote}`, "warn");
  } else {
    say(`${caption}: ${added} new node${added === 1 ? "" : "s"}, ${hood.edges.length} ` +
      `relationships.${hubNote}`);
  }
  changed();
  return hood;
}

// -- details and provenance ----------------------------------------------------------

async function showNode(id) {
  const { node } = await api.gql(api.DETAILS, { id });
  const panel = $("details");
  if (!node) {
    panel.replaceChildren(element("p", `No entity has the id “${id}”.`));
    say(`No entity has the id “${id}”.`, "error");
    return;
  }
  view.select(view.graph.hasNode(id) ? id : null);
  const { evidence, ...properties } = node;
  const actions = element("div", "", { class: "actions" });
  const expandButton = button(node.hub ? "Hub: not expanded" : "Expand", () =>
    guarded(() => expand(id)));
  if (node.hub) expandButton.disabled = true;
  actions.append(
    expandButton,
    button("Path from here", () => pickPathEnd("from", node)),
    button("Path to here", () => pickPathEnd("to", node)),
  );
  panel.replaceChildren(element("h3", `${node.label}: ${node.caption}`), actions,
    definitionList(Object.entries(properties)), evidenceTable(evidence));
  if (view.graph.hasNode(id)) panel.append(relationshipList(id));
}

/** The drawn relationships of a node, each opening its own provenance. */
function relationshipList(id) {
  const box = element("div");
  const edges = view.graph.edges(id).slice(0, 50);
  box.append(element("h3", `Relationships in the view (${view.graph.degree(id)})`));
  const list = element("ul", "", { class: "list", id: "node-edges" });
  for (const edge of edges) {
    const other = view.graph.opposite(id, edge);
    const type = view.graph.getEdgeAttribute(edge, "relType");
    const caption = view.graph.getNodeAttribute(other, "caption");
    const item = element("li");
    item.append(button(`${type} — ${caption}`, () => guarded(() => showEdge(edge)), {
      class: "link", "data-edge": edge,
    }));
    list.append(item);
  }
  box.append(list);
  return box;
}

async function showEdge(edgeId) {
  if (!view.graph.hasEdge(edgeId)) return say(`The relationship “${edgeId}” is not in the view.`, "error");
  const source = view.graph.source(edgeId);
  const target = view.graph.target(edgeId);
  const type = view.graph.getEdgeAttribute(edgeId, "relType");
  const { paths } = await api.gql(api.EDGE_EVIDENCE, { from: source, to: target, types: [type] });
  const hop = paths.flatMap((route) => route.hops).find((h) => h.id === edgeId);
  const panel = $("details");
  if (!hop) {
    panel.replaceChildren(element("p", `The API returned no provenance for “${edgeId}”.`));
    return;
  }
  const { evidence, ...properties } = hop;
  panel.replaceChildren(element("h3", `${type}: ${view.graph.getNodeAttribute(source, "caption")} → ` +
    `${view.graph.getNodeAttribute(target, "caption")}`),
  definitionList(Object.entries(properties)), evidenceTable(evidence));
  view.select(null);
}

// -- networks --------------------------------------------------------------------------

async function loadNetworks() {
  const { networks } = await api.gql(api.NETWORKS);
  const list = $("networks");
  list.replaceChildren();
  if (!networks.nodes.length) return say("The latest analysis run found no networks.", "warn");
  for (const network of networks.nodes) {
    const item = element("li");
    item.append(element("strong", `#${network.rank ?? "?"} `),
      `${network.size} people, score ${network.score?.toFixed(3) ?? "—"} `,
      button("Open as graph", () => guarded(() => openNetwork(network.id)), {
        "data-network": network.id, "aria-label": `Open network ranked ${network.rank} as a graph`,
      }));
    const breakdown = element("details");
    breakdown.append(element("summary", "Score breakdown"));
    breakdown.append(breakdownTable(network));
    item.append(breakdown);
    list.append(item);
  }
  say(`${networks.nodes.length} networks of analysis run ${networks.nodes[0].runId}, ranked.`);
  return networks.nodes;
}

/** Draw a network: its members, what they hold and the relationships between them. */
async function openNetwork(id) {
  const found = await networkGraph(id);
  if (!found) return say(`No network has the id “${id}”.`, "error");
  const { network, edges } = found;
  // Members come first: a network too large for the view loses identifiers, not people.
  const nodes = found.nodes.slice(0, MAX_VIEW_NODES);
  view.clear();
  for (const node of nodes) view.addNode(node);
  for (const edge of edges) view.addEdge(edge);
  const key = network.keyPeople.map((p) => p.id);
  const brokers = network.brokers.map((b) => b.person.id);
  view.mark(key, "key");
  view.mark(brokers, "broker");
  showNetwork(network);
  const cut = found.nodes.length > nodes.length ?
    ` Only ${nodes.length} of its ${found.nodes.length} nodes are drawn (the view's limit).` : "";
  say(`Network #${network.rank}: ${network.size} people, ${brokers.length} broker` +
    `${brokers.length === 1 ? "" : "s"} (red) and ${key.length} key people (gold) highlighted.${cut}`,
  cut ? "warn" : "info");
  changed();
  view.renderer.getCamera().animatedReset();
  return network;
}

function showNetwork(network) {
  const panel = $("details");
  panel.replaceChildren(element("h3", `Network #${network.rank} (score ${network.score?.toFixed(3)})`));
  panel.append(element("h4", "Brokers"));
  const brokers = element("ul", "", { class: "list", id: "brokers" });
  for (const broker of network.brokers) {
    const item = element("li");
    item.append(button(`${broker.person.caption} (${broker.score.toFixed(3)})`,
      () => guarded(() => showNode(broker.person.id)), { class: "link", "data-id": broker.person.id }));
    brokers.append(item);
  }
  if (!network.brokers.length) brokers.append(element("li", "none"));
  panel.append(brokers, element("h4", "Key people"));
  const key = element("ul", "", { class: "list", id: "key-people" });
  for (const person of network.keyPeople) {
    const item = element("li");
    const caption = view.graph.hasNode(person.id) ? view.graph.getNodeAttribute(person.id, "caption") : person.id;
    item.append(button(caption, () => guarded(() => showNode(person.id)), { class: "link", "data-id": person.id }));
    key.append(item);
  }
  panel.append(key);
}

// -- paths -----------------------------------------------------------------------------

function pickPathEnd(end, node) {
  state[end === "from" ? "pathFrom" : "pathTo"] = node;
  $(`path-${end}`).textContent = `${node.caption} (${node.id})`;
  $("find-paths").disabled = !(state.pathFrom && state.pathTo);
  say(`Path ${end}: ${node.caption}.`);
}

async function findPaths() {
  const tr = $("time-respecting").checked;
  const { paths } = await api.gql(api.PATHS, { from: state.pathFrom.id, to: state.pathTo.id, tr });
  const list = $("paths");
  list.replaceChildren();
  if (!paths.length) {
    say(`No ${tr ? "time-respecting " : ""}path of at most 6 hops between ` +
      `${state.pathFrom.caption} and ${state.pathTo.caption} (hubs are not passed through).`, "warn");
    return paths;
  }
  for (const route of paths) {
    for (const node of route.nodes) view.addNode(node, state.pathFrom.id);
    for (const hop of route.hops) view.addEdge(hop);
  }
  const highlight = (route) => {
    view.mark(route.nodes.map((n) => n.id), "path");
    view.markEdges(route.hops.map((h) => h.id));
    view.renderer.refresh();
  };
  paths.forEach((route, i) => {
    const item = element("li");
    const text = route.nodes.map((n) => n.caption).join(" → ");
    item.append(button(`${route.length} hops: ${text}`, () => highlight(route), {
      class: "link", "data-route": String(i),
    }));
    list.append(item);
  });
  highlight(paths[0]);
  say(`${paths.length} ${tr ? "time-respecting " : ""}path${paths.length === 1 ? "" : "s"} found; ` +
    "the shortest is drawn in orange.");
  changed();
  return paths;
}

// -- export ----------------------------------------------------------------------------

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");

async function exportAs(kind) {
  if (!view.graph.order) return say("The view is empty: nothing to export.", "warn");
  if (kind === "png") download(await toPng(view.renderer), `linkgraph-${stamp()}.png`);
  if (kind === "graphml") download(toGraphml(view.graph), `linkgraph-${stamp()}.graphml`);
  if (kind === "json") download(toJson(view.graph), `linkgraph-${stamp()}.json`);
  say(`Exported ${view.graph.order} nodes and ${view.graph.size} relationships as ${kind.toUpperCase()}.`);
}

// -- the page ----------------------------------------------------------------------------

function legend() {
  const box = $("legend");
  const names = { hub: "hub (not expanded)", broker: "broker", key: "key person", path: "path" };
  for (const [name, colour] of Object.entries(COLOURS)) {
    const item = element("span", names[name] ?? name);
    item.style.setProperty("--swatch", colour);
    box.append(item);
  }
}

async function relTypes() {
  const data = await api.gql(api.REL_TYPES);
  const box = $("rel-types");
  for (const { name } of data.__type.enumValues) {
    const id = `type-${name}`;
    const input = element("input", "", { type: "checkbox", id, value: name });
    input.checked = true;
    const label = element("label", "", { for: id });
    label.append(input, ` ${name}`);
    box.append(label);
  }
}

function wire() {
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    guarded(() => search($("search-text").value));
  });
  $("show-more").addEventListener("click", () =>
    state.lastExpand && guarded(() => expand(state.lastExpand.id, true)));
  $("clear").addEventListener("click", () => {
    view.clear();
    $("show-more").hidden = true;
    changed({ layout: false });
    say("The view is empty.");
  });
  $("load-networks").addEventListener("click", () => guarded(loadNetworks));
  $("find-paths").addEventListener("click", () => guarded(findPaths));
  $("export-png").addEventListener("click", () => guarded(() => exportAs("png")));
  $("export-graphml").addEventListener("click", () => guarded(() => exportAs("graphml")));
  $("export-json").addEventListener("click", () => guarded(() => exportAs("json")));
  $("logout").addEventListener("click", () => guarded(api.logout));
  view.renderer.on("clickNode", ({ node }) => guarded(async () => {
    const began = performance.now();
    const data = view.graph.getNodeAttributes(node);
    if (!data.hub && !data.expanded) await expand(node);
    await showNode(node);
    // From the click to the neighbourhood drawn and the details shown (the layout
    // goes on in its worker): what the benchmark reports.
    timings.push({ node, ms: performance.now() - began });
  }));
  view.renderer.on("clickEdge", ({ edge }) => guarded(() => showEdge(edge)));
  view.renderer.on("clickStage", () => view.select(null));
}

async function start() {
  legend();
  wire();
  const data = await guarded(() => api.gql(api.ME));
  if (!data) return;
  $("who").textContent = `${data.me.name} (${data.me.role})`;
  await guarded(relTypes);
  await openFromHash();
  window.addEventListener("hashchange", openFromHash);
  document.body.dataset.ready = "true";
}

/** `#node=<id>` opens that entity: a link to the explorer can name what to show. */
async function openFromHash() {
  // Read by hand, not as a query string: a "+" in an id (E.164) is a plus, not a space.
  const match = /(?:^#|&)node=([^&]*)/.exec(window.location.hash);
  if (!match) return;
  let wanted;
  try {
    wanted = decodeURIComponent(match[1]);
  } catch {
    return say("The link's #node= is not a valid id.", "error");
  }
  if (wanted) await guarded(() => openId(wanted));
}

// For the tests and the benchmark: the page's parts, driven as a person would.
window.linkgraphExplorer = { view, search, expand, openNetwork, findPaths, showEdge, changed, timings };

start();
