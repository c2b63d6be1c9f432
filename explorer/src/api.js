// The explorer's only way to the data: POST /graphql with the session cookie and the
// CSRF token the login left readable in the lg_csrf cookie (double submit).

/** An answer the page should explain to the user rather than crash on. */
export class ApiError extends Error {
  /** @param {string} message @param {"session"|"refused"|"graphql"|"network"} kind */
  constructor(message, kind) {
    super(message);
    this.kind = kind;
  }
}

/** The value of one cookie readable by scripts, or "" when it is not set. */
export function cookie(name) {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return "";
}

function headers() {
  const out = { "content-type": "application/json", accept: "application/json" };
  const csrf = cookie("lg_csrf");
  if (csrf) out["X-CSRF-Token"] = csrf;
  return out;
}

/**
 * Run one GraphQL operation; its data, or an ApiError saying what went wrong.
 * @param {string} query
 * @param {Record<string, unknown>} [variables]
 */
export async function gql(query, variables = {}) {
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      credentials: "same-origin",
      headers: headers(),
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new ApiError(`the API cannot be reached (${error.message})`, "network");
  }
  if (response.status === 401) {
    throw new ApiError("Your session has expired — log in again.", "session");
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok && !(body && body.data)) {
    const detail = body && (body.detail || (body.errors && body.errors[0]?.message));
    throw new ApiError(detail || `the API answered HTTP ${response.status}`, "refused");
  }
  if (body.errors && body.errors.length) {
    throw new ApiError(body.errors.map((e) => e.message).join("; "), "graphql");
  }
  return body.data;
}

/** End the session server-side (CSRF-protected), then go to the login page. */
export async function logout() {
  const response = await fetch("/logout", {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRF-Token": cookie("lg_csrf") },
    redirect: "manual",
  });
  // A 303 to /login arrives as an opaque redirect; anything else is a refusal.
  if (response.type !== "opaqueredirect" && !response.ok) {
    throw new ApiError(`logout refused (HTTP ${response.status})`, "refused");
  }
  window.location.assign("/login");
}

// -- the operations ------------------------------------------------------------------

// Fields every drawn node needs; Location's point for the map, Person's analysis marks.
export const NODE_FIELDS = `
  id label caption hub firstSeen lastSeen
  ... on Location { coordinates { latitude longitude } country name }
  ... on Person { networkId networkRank brokerScore }
`;

export const EDGE_FIELDS = "id type source target directed firstSeen lastSeen recordCount";

const EVIDENCE = "evidence(first: 10) { totalCount records { dataset file recordNo record run seen } }";

export const ME = "query Me { me { name role } }";

export const SEARCH = `query Search($text: String!) {
  search(text: $text, first: 20) { nodes { ${NODE_FIELDS} } }
}`;

export const NODE = `query Node($id: ID!) { node(id: $id) { ${NODE_FIELDS} } }`;

export const DETAILS = `query Details($id: ID!) {
  node(id: $id) {
    id label key caption hub firstSeen lastSeen recordCount datasets ${EVIDENCE}
    ... on Person { ref name aliases birthDate nationality gender networkId networkRank
                    pagerank betweenness brokerScore connectorScore }
    ... on Phone { e164 country numberType hubReason }
    ... on Account { platform handle displayName url hubReason }
    ... on Wallet { chain address tag hubReason }
    ... on Location { placeKey name country category hubReason coordinates { latitude longitude } }
  }
}`;

export const NEIGHBOURHOOD = `query Neighbourhood($id: ID!, $types: [RelType!], $since: DateTime,
                                                  $until: DateTime, $limit: Int!, $depth: Int!) {
  neighbourhood(id: $id, depth: $depth, types: $types, since: $since, until: $until, limit: $limit) {
    nodes { ${NODE_FIELDS} }
    edges { ${EDGE_FIELDS} }
    truncated collapsedHubs centre
  }
}`;

// One relationship's provenance: the API reads edges through paths and neighbourhoods,
// and a one-hop path between its two ends is the edge itself with its evidence.
export const EDGE_EVIDENCE = `query EdgeEvidence($from: ID!, $to: ID!, $types: [RelType!]) {
  paths(from: $from, to: $to, maxHops: 1, types: $types, first: 20) {
    hops { ${EDGE_FIELDS} datasets properties ${EVIDENCE} }
  }
}`;

export const NETWORKS = `query Networks {
  networks(first: 20, orderBy: RANK) {
    nodes {
      id rank score size runId
      scoreBreakdown { name figure value weight contribution }
    }
  }
}`;

export const NETWORK = `query Network($id: ID!) {
  network(id: $id) {
    id rank score size
    members(first: 200) { nodes { ${NODE_FIELDS} } }
    keyPeople { id }
    brokers(first: 20) { person { id caption } score }
    sharedIdentifiers { identifier { id } people }
  }
}`;

export const PATHS = `query Paths($from: ID!, $to: ID!, $tr: Boolean!) {
  paths(from: $from, to: $to, maxHops: 6, timeRespecting: $tr, first: 5) {
    length
    nodes { ${NODE_FIELDS} }
    hops { ${EDGE_FIELDS} }
  }
}`;

export const REL_TYPES = `query RelTypes { __type(name: "RelType") { enumValues { name } } }`;
