import type { Core } from "../core/memory.js";

/**
 * A centred design D (n x p) as the least-squares solves of lsq.ts read it: either a dense
 * centred matrix in the core (`putCentred`), or the columns where they lie with their means, the
 * implicitly centred design of assembly/centred.ts. The latter is how the OLS first stage reads
 * the instruments: they are already in the core (a fit places its data there, a sweep simulates
 * there), so centring a copy of them would double the memory a fit needs.
 */
export type Design = DenseDesign | ImplicitDesign;

/** An n x p centred matrix at `d` (leading dimension n). */
export interface DenseDesign {
  readonly kind: "dense";
  readonly n: number;
  readonly p: number;
  readonly d: number;
}

/** Columns anywhere in the core, centred on the fly: `cols` lists their byte addresses (u32), `means` their p means. */
export interface ImplicitDesign {
  readonly kind: "implicit";
  readonly n: number;
  readonly p: number;
  readonly cols: number;
  readonly means: number;
}

/** The dense design at `d`. */
export function denseDesign(n: number, p: number, d: number): DenseDesign {
  return { kind: "dense", n, p, d };
}

/**
 * The columns as an implicitly centred design: a column already in the core is read where it is,
 * any other is copied in (uncentred). The means are computed as the `center` kernel does.
 */
export function implicitDesign(core: Core, columns: readonly Float64Array[], n: number): ImplicitDesign {
  const p = columns.length;
  const ptrs = columns.map((c) => core.at(c));
  const cols = core.alloc(Math.max(1, Math.ceil(p / 2)));
  core.u32(cols, p).set(ptrs);
  const means = core.alloc(Math.max(1, p));
  core.wasm.col_means(n, p, cols, means);
  return { kind: "implicit", n, p, cols, means };
}

/**
 * Rows per block of `centred_crossprod`: about 256 KB of centred rows and at least 64 (so adding
 * each block's p x p cross-product stays cheap), but no more than the n rows there are.
 */
export function blockRows(n: number, p: number): number {
  const rows = Math.max(64, Math.min(1024, Math.floor(32768 / Math.max(1, p))));
  return Math.max(2, Math.min(rows, n + (n % 2))) & ~1;
}

/** Doubles of scratch the implicit design's cross-product needs: a block of centred rows and its p x p cross-product. */
export function gramScratch(n: number, p: number): number {
  return blockRows(n, p) * p + p * p;
}

/** D^T D (p x p, both triangles) as a new buffer in the core. */
export function gram(core: Core, design: Design): number {
  const { n, p } = design;
  const c = core.alloc(Math.max(1, p * p));
  if (design.kind === "dense") core.wasm.crossprod(n, p, design.d, n, c);
  else {
    const scratch = core.alloc(Math.max(1, gramScratch(n, p)));
    core.wasm.centred_crossprod(n, p, design.cols, design.means, blockRows(n, p), scratch, c);
  }
  return c;
}

/** out(p) = D^T y. */
export function crossWith(core: Core, design: Design, y: number, out: number): void {
  const { n, p } = design;
  if (design.kind === "dense") core.wasm.gemv_t(n, p, 1, design.d, n, y, 0, out);
  else core.wasm.centred_gemv_t(n, p, design.cols, design.means, y, out);
}

/** r(n) -= D b, for the p coefficients at `b`. */
export function subtractFit(core: Core, design: Design, b: number, r: number): void {
  const { n, p } = design;
  if (design.kind === "dense") core.wasm.gemv_n(n, p, -1, design.d, n, b, 1, r);
  else core.wasm.centred_gemv_n(n, p, -1, design.cols, design.means, b, r);
}

/**
 * The design without column j, in place: a dense design's later columns move up one, an implicit
 * design's addresses and means do.
 */
export function dropColumn(core: Core, design: Design, j: number): Design {
  const { n, p } = design;
  if (design.kind === "dense") {
    core.copyTo(design.d + j * n * 8, design.d + (j + 1) * n * 8, n * (p - j - 1));
    return { ...design, p: p - 1 };
  }
  core.u32(design.cols, p).copyWithin(j, j + 1);
  core.copyTo(design.means + j * 8, design.means + (j + 1) * 8, p - j - 1);
  return { ...design, p: p - 1 };
}
