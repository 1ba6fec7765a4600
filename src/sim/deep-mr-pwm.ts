import type { Core } from "../core/memory.js";
import type { Motif } from "./deep-mr-motifs.js";

/** Base composition of the background, P(A, C, G, T) (spec §3.1). */
export const BACKGROUND: readonly number[] = [0.27, 0.23, 0.23, 0.27];

/**
 * How the background enters the log-odds (spec §3.3, quirk Q1): "ACTG" is the authors' — built in
 * the order A, C, T, G but applied to the A, C, G, T columns, so G is divided by 0.27 and T by
 * 0.23; "ACGT" divides each base by its own frequency.
 */
export type BackgroundOrder = "ACTG" | "ACGT";

/** The background frequencies each column A, C, G, T is divided by, under `order`. */
export function backgroundOf(order: BackgroundOrder): readonly number[] {
  const [a, c, g, t] = BACKGROUND as [number, number, number, number];
  return order === "ACTG" ? [a, c, t, g] : [a, c, g, t];
}

/**
 * The smoothed matrix, each entry p_kb (1 - pseudocount) + pseudocount / 4 (spec §3.1 step 4):
 * not renormalised, as the authors'; every entry then lies in (0, 1) for a pseudocount in (0, 1].
 */
export function smoothed(m: Motif, pseudocount: number): Float64Array {
  const out = new Float64Array(m.p.length);
  for (let j = 0; j < out.length; j++) out[j] = (m.p[j] as number) * (1 - pseudocount) + pseudocount / 4;
  return out;
}

/** The log-odds ℓ_kb = log(P_kb / bg_b) of the smoothed matrix, K x 4 row-major (the kernel's `llr`). */
export function logOdds(m: Motif, pseudocount: number, order: BackgroundOrder): Float64Array {
  const p = smoothed(m, pseudocount);
  const bg = backgroundOf(order);
  for (let j = 0; j < p.length; j++) p[j] = Math.log((p[j] as number) / (bg[j % 4] as number));
  return p;
}

/**
 * The occupancy q = 1 - Π_t (1 - s_t) of a motif on each of n sequences of length L (row-major
 * codes 0..3), with s_t the quasi-sigmoid of window t's log-odds sum on the forward strand (spec
 * §3.3), in the core (assembly/sim/pwm.ts). Codes living in the core's memory are read in place.
 */
export function occupancy(core: Core, codes: Uint8Array, n: number, L: number, llr: Float64Array): Float64Array {
  const out = new Float64Array(n);
  if (n > 0) core.scoped(occupancyInCore, core, codes, n, L, llr, out);
  return out;
}

function occupancyInCore(
  core: Core,
  codes: Uint8Array,
  n: number,
  L: number,
  llr: Float64Array,
  out: Float64Array,
): void {
  // The codes' pointer first: a later allocation may grow memory and detach a view of the core.
  const pSeq = bytesInCore(core, codes, n * L);
  const pOut = core.alloc(n);
  const pLlr = core.put(llr);
  const status = core.wasm.pwm_occupancy(n, L, pSeq, llr.length / 4, pLlr, pOut);
  if (status !== 0) throw new RangeError(`occupancy: motif of ${llr.length / 4} rows must fit in L = ${L}`);
  out.set(core.view(pOut, n));
}

/** The byte pointer of `codes[0 .. len)`: in place when they live in the core, else a copy put there. */
function bytesInCore(core: Core, codes: Uint8Array, len: number): number {
  if (codes.buffer === core.wasm.memory.buffer) return codes.byteOffset;
  const ptr = core.alloc(Math.ceil(len / 8));
  new Uint8Array(core.wasm.memory.buffer, ptr, len).set(codes.subarray(0, len));
  return ptr;
}
