// Locations as points on a world outline drawn offline: Natural Earth's 1:110m land
// (public domain, TopoJSON from the world-atlas package, bundled by `make explorer`).
import { feature } from "topojson-client";

const WIDTH = 360;
const HEIGHT = 180;
const SVG = "http://www.w3.org/2000/svg";

// Equirectangular: longitude and latitude straight to x and y.
const project = ([lon, lat]) => [lon + 180, 90 - lat];

// A ring cut at the antimeridian jumps from one edge of the map to the other: the
// jump starts a new subpath rather than a line across the whole map.
function ringPath(ring) {
  let out = "";
  let previous = null;
  for (const point of ring) {
    const jump = previous === null || Math.abs(point[0] - previous[0]) > 180;
    out += (jump ? "M" : "L") + project(point).map((v) => v.toFixed(2)).join(",");
    previous = point;
  }
  return out;
}

function geometryPath(geometry) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  return polygons.map((polygon) => polygon.map(ringPath).join("")).join("");
}

export class WorldMap {
  /** @param {HTMLElement} container @param {HTMLElement} note */
  constructor(container, note) {
    this.container = container;
    this.note = note;
    this.svg = document.createElementNS(SVG, "svg");
    this.svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
    this.points = document.createElementNS(SVG, "g");
    this.container.append(this.svg);
    this.ready = this.drawLand();
  }

  async drawLand() {
    try {
      const response = await fetch("land-110m.json", { credentials: "same-origin" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const topology = await response.json();
      const land = feature(topology, topology.objects.land);
      const path = document.createElementNS(SVG, "path");
      path.setAttribute("class", "land");
      path.setAttribute("d", land.features.map((f) => geometryPath(f.geometry)).join(""));
      this.svg.append(path);
    } catch (error) {
      this.note.textContent = `The world outline could not be loaded (${error.message}).`;
    }
    this.svg.append(this.points);
  }

  /** Draw the view's located nodes; `onPick(id)` when a point is chosen. */
  show(graph, onPick) {
    this.points.replaceChildren();
    let located = 0;
    let unlocated = 0;
    graph.forEachNode((id, data) => {
      if (data.entity !== "Location") return;
      const point = data.coordinates;
      if (!point) {
        unlocated += 1;
        return;
      }
      located += 1;
      const [x, y] = project([point.longitude, point.latitude]);
      const dot = document.createElementNS(SVG, "circle");
      dot.setAttribute("class", "place");
      dot.setAttribute("cx", x.toFixed(2));
      dot.setAttribute("cy", y.toFixed(2));
      dot.setAttribute("r", "2");
      dot.setAttribute("tabindex", "0");
      dot.setAttribute("role", "button");
      dot.setAttribute("aria-label", data.caption);
      dot.dataset.id = id;
      const title = document.createElementNS(SVG, "title");
      title.textContent = data.caption;
      dot.append(title);
      dot.addEventListener("click", () => onPick(id));
      dot.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") onPick(id);
      });
      this.points.append(dot);
    });
    const without = unlocated ? `; ${unlocated} without coordinates` : "";
    this.note.textContent =
      `${located} located place${located === 1 ? "" : "s"} in the view${without}. ` +
      "Outline: Natural Earth 1:110m land (public domain).";
  }
}
