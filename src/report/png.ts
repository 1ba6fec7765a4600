import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { initWasm, Resvg } from "@resvg/resvg-wasm";

/**
 * SVG to PNG with resvg compiled to WebAssembly (@resvg/resvg-wasm): no native binary and no
 * system fonts. Text is set in DejaVu Sans from the dejavu-fonts-ttf package, so a figure renders
 * the same on every machine.
 */

const require = createRequire(import.meta.url);

let fonts: Promise<Uint8Array[]> | undefined;

/** Loads the renderer and the fonts once per thread. */
function ready(): Promise<Uint8Array[]> {
  fonts ??= initWasm(readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm"))).then(() =>
    ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${f}`))),
  );
  return fonts;
}

/** A PNG of `svg` at `zoom` times its size, on a white background. */
export async function svgToPng(svg: string, zoom = 2): Promise<Uint8Array> {
  const fontBuffers = await ready();
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: zoom },
    font: { fontBuffers, loadSystemFonts: false, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
  });
  const image = resvg.render();
  const png = image.asPng();
  image.free();
  resvg.free();
  return png;
}
