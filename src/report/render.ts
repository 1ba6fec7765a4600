import { writeFileSync } from "node:fs";
import type { Spec } from "./style.js";

/**
 * vega and vega-lite, loaded on the first figure: they take several times Node's own start-up to
 * load, which the commands that draw nothing (and a sweep until its end) should not pay.
 */
let renderer: Promise<{ vega: typeof import("vega"); compile: typeof import("vega-lite").compile }> | undefined;

function loadRenderer() {
  renderer ??= Promise.all([import("vega"), import("vega-lite")]).then(([vega, lite]) => ({
    vega,
    compile: lite.compile,
  }));
  return renderer;
}

/** Renders a Vega-Lite specification to an SVG string (headless: no canvas needed). */
export async function toSvg(spec: Spec): Promise<string> {
  const { vega, compile } = await loadRenderer();
  const compiled = compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Writes a figure as SVG at `svgPath` and as PNG beside it (same name, twice the size); returns the SVG. */
export async function writeFigure(svgPath: string, spec: Spec): Promise<string> {
  const svg = await toSvg(spec);
  writeFileSync(svgPath, svg);
  // The PNG renderer (resvg, WebAssembly) is loaded on the first figure too.
  const { svgToPng } = await import("./png.js");
  writeFileSync(svgPath.replace(/\.svg$/, ".png"), await svgToPng(svg));
  return svg;
}
