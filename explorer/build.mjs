// Bundles the explorer into dist/: one ES module (sigma, graphology and the
// ForceAtlas2 worker included), the page, its style sheet and the world outline.
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";

const out = "dist";
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: ["src/main.js"],
  bundle: true,
  format: "esm",
  target: ["chrome110", "firefox110", "safari16"],
  minify: true,
  sourcemap: true,
  outfile: `${out}/explorer.js`,
  // The world outline is loaded on demand as a JSON file, not inlined.
  logLevel: "warning",
});
await copyFile("index.html", `${out}/index.html`);
await copyFile("src/style.css", `${out}/style.css`);
// Natural Earth land at 1:110m (public domain), as TopoJSON by the world-atlas package (ISC).
await copyFile("node_modules/world-atlas/land-110m.json", `${out}/land-110m.json`);
console.log(`explorer built into ${out}/`);
