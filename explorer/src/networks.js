// Networks of an analysis run: the score breakdown, and a network as a graph to draw.
import * as api from "./api.js";
import { element } from "./dom.js";

// Members of a network expanded per request (GraphQL aliases; the API allows 20).
const MEMBERS_PER_REQUEST = 8;

const FRAGMENTS = `fragment N on Entity { ${api.NODE_FIELDS} }
fragment E on Edge { ${api.EDGE_FIELDS} }`;

/** A network's score breakdown as a table: component, figure, weight, contribution. */
export function breakdownTable(network) {
  const table = element("table", "", { class: "breakdown" });
  const head = element("tr");
  for (const name of ["component", "figure", "weight", "contribution"]) head.append(element("th", name));
  table.append(head);
  for (const part of network.scoreBreakdown) {
    const row = element("tr");
    for (const value of [part.name, part.figure.toFixed(2), part.weight.toFixed(2),
      part.contribution.toFixed(3)]) row.append(element("td", value));
    table.append(row);
  }
  return table;
}

/**
 * A network with what to draw of it: its members, what they hold, and the relationships
 * between them; null for an unknown id.
 */
export async function networkGraph(id) {
  const { network } = await api.gql(api.NETWORK, { id });
  if (!network) return null;
  const members = new Set(network.members.nodes.map((m) => m.id));
  // Two hops from each member reach the identifiers of the others (a phone that calls
  // another member's phone); only members and what a member holds are kept.
  const ids = [...members];
  const nodes = new Map(network.members.nodes.map((m) => [m.id, m]));
  const edges = new Map();
  for (let i = 0; i < ids.length; i += MEMBERS_PER_REQUEST) {
    const batch = ids.slice(i, i + MEMBERS_PER_REQUEST);
    const fields = batch.map((_, j) =>
      `m${j}: neighbourhood(id: $m${j}, depth: 2, limit: 80) { nodes { ...N } edges { ...E } }`);
    const params = batch.map((_, j) => `$m${j}: ID!`).join(", ");
    const variables = Object.fromEntries(batch.map((member, j) => [`m${j}`, member]));
    const data = await api.gql(
      `query NetworkHoods(${params}) { ${fields.join("\n")} }\n${FRAGMENTS}`, variables);
    for (const hood of Object.values(data)) {
      if (!hood) continue;
      for (const node of hood.nodes) if (!nodes.has(node.id)) nodes.set(node.id, node);
      for (const edge of hood.edges) edges.set(edge.id, edge);
    }
  }
  const kept = new Set(members);
  for (const edge of edges.values()) {
    if (members.has(edge.source)) kept.add(edge.target);
    if (members.has(edge.target)) kept.add(edge.source);
  }
  return {
    network,
    nodes: [...nodes.values()].filter((node) => kept.has(node.id)),
    edges: [...edges.values()].filter((edge) => kept.has(edge.source) && kept.has(edge.target)),
  };
}
