import { describe, expect, it } from "vitest";
import { svgToPng } from "../../src/report/png.js";
import { pngSize } from "../helpers/png.js";

const frame = (body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">${body}</svg>`;

describe("svgToPng", () => {
  it("renders at twice the SVG's size by default, or at the zoom asked", async () => {
    expect(pngSize(await svgToPng(frame("")))).toEqual({ width: 240, height: 80 });
    expect(pngSize(await svgToPng(frame(""), 1))).toEqual({ width: 120, height: 40 });
  });

  it("sets text with the bundled font: text in sans-serif, bold and unknown families leaves ink", async () => {
    const blank = await svgToPng(frame(""));
    for (const text of [
      '<text x="4" y="28" font-family="sans-serif" font-size="20">MSE 0.3</text>',
      '<text x="4" y="28" font-family="sans-serif" font-weight="bold" font-size="20">MSE</text>',
      '<text x="4" y="28" font-family="No Such Font" font-size="20">MSE</text>',
    ]) {
      const inked = await svgToPng(frame(text));
      expect(Buffer.from(inked).equals(Buffer.from(blank)), text).toBe(false);
      expect(inked.length, text).toBeGreaterThan(blank.length + 100);
    }
  });
});
