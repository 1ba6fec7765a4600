import { writeFileSync } from "node:fs";
import * as vega from "vega";
import { compile } from "vega-lite";
import { svgToPng } from "./png.js";
import type { Spec } from "./specs.js";

/** Renders a Vega-Lite specification to an SVG string (headless: no canvas needed). */
export async function toSvg(spec: Spec): Promise<string> {
  const compiled = compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Writes a figure as SVG at `svgPath` and as PNG beside it (same name, twice the size). */
export async function writeFigure(svgPath: string, spec: Spec): Promise<void> {
  const svg = await toSvg(spec);
  writeFileSync(svgPath, svg);
  writeFileSync(svgPath.replace(/\.svg$/, ".png"), await svgToPng(svg));
}
