// The timeline: two sliders (days) over the dated relationships of the view; what lies
// outside their window is hidden from the drawing.
import { $ } from "./dom.js";

const DAY = 86400000;
const day = (n) => new Date(n * DAY).toISOString().slice(0, 10);

export class Timeline {
  /** @param {import("./view.js").View} view */
  constructor(view) {
    this.view = view;
    this.from = $("time-from");
    this.to = $("time-to");
    this.span = null; // [first day, last day] of the view's dated relationships
    this.from.addEventListener("input", () => this.apply());
    this.to.addEventListener("input", () => this.apply());
  }

  /** Fit the sliders to the view's dates; a window the user moved stays as it is. */
  update() {
    let min = Infinity;
    let max = -Infinity;
    this.view.graph.forEachEdge((_, data) => {
      if (data.firstSeen === null) return;
      min = Math.min(min, data.firstSeen);
      max = Math.max(max, data.lastSeen ?? data.firstSeen);
    });
    if (min === Infinity) {
      this.span = null;
      this.from.disabled = this.to.disabled = true;
      this.view.setWindow(null);
      $("time-window").textContent = "no dated relationships";
      return;
    }
    const first = Math.floor(min / DAY);
    const last = Math.ceil(max / DAY);
    const moved = this.span &&
      (Number(this.from.value) !== this.span[0] || Number(this.to.value) !== this.span[1]);
    for (const input of [this.from, this.to]) {
      input.min = String(first);
      input.max = String(last);
      input.disabled = false;
    }
    if (!moved) {
      this.from.value = String(first);
      this.to.value = String(last);
    }
    this.span = [first, last];
    this.apply();
  }

  /** Filter the drawing to the sliders' window and say what it shows. */
  apply() {
    let start = Number(this.from.value);
    let end = Number(this.to.value);
    if (start > end) [start, end] = [end, start];
    const whole = this.span && start <= this.span[0] && end >= this.span[1];
    this.view.setWindow(whole ? null : [start * DAY, (end + 1) * DAY - 1]);
    const drawn = this.view.visibleEdges().length;
    $("time-window").textContent =
      `${day(start)} – ${day(end)}: ${drawn} of ${this.view.graph.size} relationships drawn`;
    this.from.setAttribute("aria-valuetext", day(start));
    this.to.setAttribute("aria-valuetext", day(end));
  }
}
