// The current view as a file: PNG (sigma's layers composed), GraphML (Gephi) and JSON.

/** Offer `blob` as a download named `name`. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The drawing as it is on screen, on a white background, as a PNG blob. */
export function toPng(renderer) {
  // Draw, then copy every layer (edges, nodes, labels...) in the same task, while
  // the WebGL buffers still hold the frame.
  renderer.refresh();
  const { width, height } = renderer.getDimensions();
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  for (const layer of Object.values(renderer.getCanvases())) {
    context.drawImage(layer, 0, 0, canvas.width, canvas.height);
  }
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

const XML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
const xml = (value) => String(value).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
const iso = (ms) => (ms === null || ms === undefined ? "" : new Date(ms).toISOString());

const NODE_KEYS = [
  ["label", "string", (d) => d.caption],
  ["entity", "string", (d) => d.entity],
  ["hub", "boolean", (d) => d.hub],
  ["firstSeen", "string", (d) => iso(d.firstSeen)],
  ["lastSeen", "string", (d) => iso(d.lastSeen)],
  ["x", "double", (d) => d.x],
  ["y", "double", (d) => d.y],
  ["color", "string", (d) => d.color],
];
const EDGE_KEYS = [
  ["type", "string", (d) => d.relType],
  ["firstSeen", "string", (d) => iso(d.firstSeen)],
  ["lastSeen", "string", (d) => iso(d.lastSeen)],
  ["recordCount", "int", (d) => d.recordCount],
];

function data(keys, prefix, attributes) {
  return keys
    .map(([name, , get], i) => [i, get(attributes)])
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .map(([i, value]) => `<data key="${prefix}${i}">${xml(value)}</data>`)
    .join("");
}

/** GraphML 1.0 of the graph: nodes and edges with their attributes, ids as given. */
export function toGraphml(graph) {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'];
  NODE_KEYS.forEach(([name, type], i) =>
    out.push(`<key id="n${i}" for="node" attr.name="${name}" attr.type="${type}"/>`));
  EDGE_KEYS.forEach(([name, type], i) =>
    out.push(`<key id="e${i}" for="edge" attr.name="${name}" attr.type="${type}"/>`));
  // Mixed graphs: the default is directed and undirected edges say so.
  out.push('<graph id="linkgraph" edgedefault="directed">');
  graph.forEachNode((node, attributes) => {
    out.push(`<node id="${xml(node)}">${data(NODE_KEYS, "n", attributes)}</node>`);
  });
  graph.forEachEdge((edge, attributes, source, target, _s, _t, undirected) => {
    const directed = undirected ? ' directed="false"' : "";
    out.push(`<edge id="${xml(edge)}" source="${xml(source)}" target="${xml(target)}"${directed}>` +
      `${data(EDGE_KEYS, "e", attributes)}</edge>`);
  });
  out.push("</graph>", "</graphml>");
  return new Blob([out.join("\n")], { type: "application/graphml+xml" });
}

/** The graph as graphology's serialisation (nodes, edges, attributes), in JSON. */
export function toJson(graph) {
  return new Blob([JSON.stringify(graph.export(), null, 1)], { type: "application/json" });
}
