// The drawing: one graphology graph, rendered by sigma (WebGL), laid out by
// ForceAtlas2 in a web worker so that a large view never blocks the page.
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import FA2Layout from "graphology-layout-forceatlas2/worker";
import Sigma from "sigma";

export const COLOURS = {
  Person: "#1f5fa8",
  Phone: "#2e7d32",
  Account: "#7b3fa0",
  Wallet: "#a86400",
  Location: "#00796b",
  hub: "#5b5b5b",
  broker: "#c62828",
  key: "#e6a100",
  path: "#d35400",
};

const EDGE_COLOUR = "#9e9e9e";
const EDGE_DIM = "#e6e6e6";

// The layout stops when nodes move less than this share of the drawing's size
// between two samples, or after its time budget.
const SETTLED = 0.002;
const SAMPLE_MS = 250;
const MAX_LAYOUT_MS = 20000;
// A layout that has not moved anything after this long has nothing to do.
const IDLE_MS = 5000;

/** Milliseconds since the epoch of an ISO date-time, null when absent. */
export function epoch(value) {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export class View {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.graph = new Graph({ multi: true, type: "mixed" });
    this.window = null; // [from, to] in ms, or null: every relationship drawn
    this.selected = null;
    this.layout = null;
    this.layoutRun = null;
    this.onSettled = [];
    this.renderer = new Sigma(this.graph, container, {
      renderEdgeLabels: false,
      labelDensity: 0.6,
      labelRenderedSizeThreshold: 5,
      defaultEdgeType: "line",
      zIndex: true,
      enableEdgeEvents: true,
      nodeReducer: (node, data) => this.nodeLook(node, data),
      edgeReducer: (edge, data) => this.edgeLook(edge, data),
    });
  }

  /** True when a dated relationship lies outside the timeline's window. */
  outsideWindow(data) {
    if (!this.window) return false;
    const first = data.firstSeen;
    const last = data.lastSeen ?? first;
    if (first === null || first === undefined) return false; // undated: always drawn
    return last < this.window[0] || first > this.window[1];
  }

  /** Edges drawn under the current timeline window. */
  visibleEdges() {
    return this.graph.filterEdges((_, data) => !this.outsideWindow(data));
  }

  nodeLook(node, data) {
    const look = { ...data };
    if (this.window && data.datedEdges > 0) {
      // A node all of whose relationships are dated and outside the window disappears.
      const shown = this.graph.someEdge(node, (_, edge) => !this.outsideWindow(edge));
      if (!shown) look.hidden = true;
    }
    if (node === this.selected) {
      look.highlighted = true;
      look.zIndex = 2;
    }
    return look;
  }

  edgeLook(edge, data) {
    const look = { ...data };
    if (this.outsideWindow(data)) look.hidden = true;
    if (this.selected && !this.graph.hasExtremity(edge, this.selected)) look.color = EDGE_DIM;
    return look;
  }

  /** Add or refresh one entity from the API; new nodes start next to `near`. */
  addNode(entity, near = null) {
    const attributes = {
      label: entity.hub ? `${entity.caption} (hub)` : entity.caption,
      entity: entity.label,
      caption: entity.caption,
      hub: Boolean(entity.hub),
      firstSeen: epoch(entity.firstSeen),
      lastSeen: epoch(entity.lastSeen),
      coordinates: entity.coordinates ?? null,
      networkId: entity.networkId ?? null,
    };
    if (this.graph.hasNode(entity.id)) {
      this.graph.mergeNodeAttributes(entity.id, attributes);
      return false;
    }
    const origin = near && this.graph.hasNode(near) ? this.graph.getNodeAttributes(near) : null;
    const spread = origin ? 1 : 10;
    this.graph.addNode(entity.id, {
      ...attributes,
      x: (origin?.x ?? 0) + (Math.random() - 0.5) * spread,
      y: (origin?.y ?? 0) + (Math.random() - 0.5) * spread,
      size: entity.hub ? 10 : 6,
      color: entity.hub ? COLOURS.hub : COLOURS[entity.label] ?? "#333333",
      datedEdges: 0,
      expanded: false,
    });
    return true;
  }

  /** Add one relationship from the API (both ends must be drawn). */
  addEdge(edge) {
    if (this.graph.hasEdge(edge.id)) return false;
    if (!this.graph.hasNode(edge.source) || !this.graph.hasNode(edge.target)) return false;
    const firstSeen = epoch(edge.firstSeen);
    const attributes = {
      relType: edge.type,
      firstSeen,
      lastSeen: epoch(edge.lastSeen),
      recordCount: edge.recordCount ?? null,
      color: EDGE_COLOUR,
      size: 1,
    };
    if (edge.directed) {
      this.graph.addDirectedEdgeWithKey(edge.id, edge.source, edge.target, attributes);
    } else {
      this.graph.addUndirectedEdgeWithKey(edge.id, edge.source, edge.target, attributes);
    }
    if (firstSeen !== null) {
      this.graph.updateNodeAttribute(edge.source, "datedEdges", (n) => n + 1);
      this.graph.updateNodeAttribute(edge.target, "datedEdges", (n) => n + 1);
    }
    return true;
  }

  /** Mark nodes: brokers, key people, a path's nodes. `mark` is a COLOURS key. */
  mark(ids, mark) {
    for (const id of ids) {
      if (!this.graph.hasNode(id)) continue;
      this.graph.mergeNodeAttributes(id, {
        mark,
        color: COLOURS[mark],
        size: mark === "path" ? 8 : 11,
        forceLabel: true,
      });
    }
  }

  markEdges(ids) {
    for (const id of ids) {
      if (this.graph.hasEdge(id)) this.graph.mergeEdgeAttributes(id, { color: COLOURS.path, size: 3 });
    }
  }

  select(node) {
    this.selected = node;
    this.renderer.refresh();
  }

  setWindow(window) {
    this.window = window;
    this.renderer.refresh();
  }

  clear() {
    this.stopLayout();
    this.graph.clear();
    this.selected = null;
    this.window = null;
  }

  /**
   * Run ForceAtlas2 in its worker until the drawing settles (or its time budget ends);
   * resolves with how long it ran and whether it settled.
   */
  runLayout() {
    this.stopLayout();
    if (this.graph.order === 0) return Promise.resolve({ ms: 0, settled: true });
    const settings = forceAtlas2.inferSettings(this.graph);
    settings.barnesHutOptimize = this.graph.order > 1000;
    this.layout = new FA2Layout(this.graph, { settings });
    const started = performance.now();
    let previous = this.positions();
    this.layout.start();
    return new Promise((resolve) => {
      const run = { resolve, timer: null };
      this.layoutRun = run;
      const finish = (settled) => {
        const ms = performance.now() - started;
        clearInterval(run.timer);
        if (this.layoutRun === run) {
          this.layoutRun = null;
          this.layout.kill();
          this.layout = null;
        }
        resolve({ ms, settled });
      };
      let startedMoving = false;
      run.timer = setInterval(() => {
        const now = this.positions();
        const moved = meanMove(previous, now) / Math.max(extent(now), 1e-9);
        previous = now;
        // The worker needs a moment to start (a large graph's first iterations take
        // longer than a sample): nothing moving yet is not settled.
        if (moved > 0) startedMoving = true;
        const elapsed = performance.now() - started;
        if (startedMoving && moved < SETTLED) finish(true);
        else if (!startedMoving && elapsed > IDLE_MS) finish(true);
        else if (elapsed > MAX_LAYOUT_MS) finish(false);
      }, SAMPLE_MS);
    });
  }

  stopLayout() {
    const run = this.layoutRun;
    this.layoutRun = null;
    if (run) {
      clearInterval(run.timer);
      run.resolve({ ms: 0, settled: false, stopped: true });
    }
    if (this.layout) {
      this.layout.kill();
      this.layout = null;
    }
  }

  positions() {
    const out = new Float64Array(this.graph.order * 2);
    let i = 0;
    this.graph.forEachNode((_, data) => {
      out[i++] = data.x;
      out[i++] = data.y;
    });
    return out;
  }
}

function meanMove(before, after) {
  if (before.length !== after.length || after.length === 0) return Infinity;
  let total = 0;
  for (let i = 0; i < after.length; i += 2) {
    total += Math.hypot(after[i] - before[i], after[i + 1] - before[i + 1]);
  }
  return total / (after.length / 2);
}

function extent(points) {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    minX = Math.min(minX, points[i]);
    maxX = Math.max(maxX, points[i]);
    minY = Math.min(minY, points[i + 1]);
    maxY = Math.max(maxY, points[i + 1]);
  }
  return Math.max(maxX - minX, maxY - minY);
}
