import * as vega from "vega";
import { compile } from "vega-lite";
import type { Spec } from "./specs.js";

/** Renders a Vega-Lite specification to an SVG string (headless: no canvas needed). */
export async function toSvg(spec: Spec): Promise<string> {
  const compiled = compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
