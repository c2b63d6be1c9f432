// The details panel's parts: properties as a definition list, provenance as a table.
import { element } from "./dom.js";

const SKIP = new Set(["evidence", "__typename"]);

/** Properties (name, value) as a definition list; absent values left out. */
export function definitionList(entries) {
  const list = element("dl");
  for (const [key, value] of entries) {
    if (value === null || value === undefined || SKIP.has(key)) continue;
    const shown = typeof value === "object" ? JSON.stringify(value) : String(value);
    list.append(element("dt", key), element("dd", shown));
  }
  return list;
}

/** An `EvidencePage`: how many source records assert the fact, and the first of them. */
export function evidenceTable(evidence) {
  const box = element("div");
  box.append(element("h3", `Provenance: ${evidence.totalCount} source record` +
    `${evidence.totalCount === 1 ? "" : "s"}`));
  const table = element("table", "", { "aria-label": "Source records" });
  const head = element("tr");
  for (const name of ["dataset", "file", "row", "record", "seen"]) head.append(element("th", name));
  table.append(head);
  for (const record of evidence.records) {
    const row = element("tr");
    for (const value of [record.dataset, record.file, record.recordNo, record.record, record.seen]) {
      row.append(element("td", value === null || value === undefined ? "—" : String(value)));
    }
    table.append(row);
  }
  box.append(table);
  if (evidence.totalCount > evidence.records.length) {
    box.append(element("p", `The first ${evidence.records.length} shown.`, { class: "note" }));
  }
  return box;
}
