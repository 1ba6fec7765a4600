import type { Core } from "../core/memory.js";
import { seedrandomStream } from "../sim/numpy/stream.js";
import type { SummaryData } from "./data.js";
import { kernelMode, modeBandwidth, sd, weightedMedianOf } from "./methods.js";

/**
 * Parametric bootstrap SE of a (weighted) median, as MendelianRandomization: bx* ~ N(bx, sx) and
 * by* ~ N(by, sy) per SNP, the median of the ratios by* / bx* with the weights held at their original values,
 * SE = sd over `iterations` draws (seeded).
 */
export function medianBootstrapSe(
  core: Core,
  d: SummaryData,
  weights: ArrayLike<number>,
  iterations: number,
  seed: string,
): number {
  const J = d.bx.length;
  const z = seedrandomStream(seed, core).normal(0, 1, 2 * J * iterations);
  const theta = new Float64Array(J);
  const out: number[] = [];
  for (let b = 0; b < iterations; b++) {
    for (let j = 0; j < J; j++) {
      const bx = (d.bx[j] as number) + (d.sx[j] as number) * (z[2 * (b * J + j)] as number);
      const by = (d.by[j] as number) + (d.sy[j] as number) * (z[2 * (b * J + j) + 1] as number);
      theta[j] = by / bx;
    }
    out.push(weightedMedianOf(theta, weights));
  }
  return sd(out);
}

/**
 * Bootstrap SE of the mode-based estimate (Hartwig et al. 2017): theta*_j ~ N(theta_j, se_j), the
 * mode recomputed (bandwidth from the draws with the same phi, original weights), SE = mad of the
 * bootstrap modes.
 */
export function modeBootstrap(
  core: Core,
  theta: Float64Array,
  se: Float64Array,
  weights: Float64Array,
  iterations: number,
  seed: string,
  phi = 1,
): number[] {
  const J = theta.length;
  const z = seedrandomStream(seed, core).normal(0, 1, J * iterations);
  const draw = new Float64Array(J);
  const out: number[] = [];
  for (let b = 0; b < iterations; b++) {
    for (let j = 0; j < J; j++) draw[j] = (theta[j] as number) + (se[j] as number) * (z[b * J + j] as number);
    out.push(kernelMode(draw, weights, modeBandwidth(draw, phi)));
  }
  return out;
}
