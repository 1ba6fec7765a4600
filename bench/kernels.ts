import { getCore } from "../src/core/load.js";
import { fmtTime, timeIt } from "./timing.js";
import { crossprodTs, dotTs, gemvNTs, gemvTTs } from "./ts-kernels.js";

/** One benchmark line: the three implementations and the ratios that matter. */
export interface KernelRow {
  kernel: string;
  n: number;
  simd: number;
  scalar: number;
  ts: number;
}

function rand(len: number, seed: number): Float64Array {
  const out = new Float64Array(len);
  let s = seed;
  for (let i = 0; i < len; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = s / 2147483648 - 0.5;
  }
  return out;
}

/** dot, gemv (both transposes, p = 50 columns) and crossprod (p = 50), WASM SIMD vs scalar twin vs TypeScript. */
export function benchKernels(sizes: readonly number[], p = 50): KernelRow[] {
  const core = getCore();
  const w = core.wasm;
  const rows: KernelRow[] = [];
  for (const n of sizes) {
    core.scoped(() => {
      const x = rand(n, 1);
      const y = rand(n, 2);
      const a = rand(n * p, 3);
      const v = rand(p, 4);
      const px = core.put(x);
      const py = core.put(y);
      const pa = core.put(a);
      const pv = core.put(v);
      const pout = core.alloc(Math.max(n, p * p));
      const out = new Float64Array(Math.max(n, p * p));
      rows.push({
        kernel: "dot",
        n,
        simd: timeIt(() => w.dot(n, px, py)),
        scalar: timeIt(() => w.dot_scalar(n, px, py)),
        ts: timeIt(() => dotTs(n, x, y)),
      });
      rows.push({
        kernel: `gemv_n (${p} cols)`,
        n,
        simd: timeIt(() => w.gemv_n(n, p, 1, pa, n, pv, 0, pout)),
        scalar: timeIt(() => w.gemv_n_scalar(n, p, 1, pa, n, pv, 0, pout)),
        ts: timeIt(() => gemvNTs(n, p, a, v, out)),
      });
      rows.push({
        kernel: `gemv_t (${p} cols)`,
        n,
        simd: timeIt(() => w.gemv_t(n, p, 1, pa, n, px, 0, pout)),
        scalar: timeIt(() => w.gemv_t_scalar(n, p, 1, pa, n, px, 0, pout)),
        ts: timeIt(() => gemvTTs(n, p, a, x, out)),
      });
      rows.push({
        kernel: `crossprod (${p} cols)`,
        n,
        simd: timeIt(() => w.crossprod(n, p, pa, n, pout)),
        scalar: timeIt(() => w.crossprod_scalar(n, p, pa, n, pout)),
        ts: timeIt(() => crossprodTs(n, p, a, out)),
      });
    });
  }
  return rows;
}

/** The rows as a table with ratios: SIMD speed-up over the scalar twin and over TypeScript. */
export function kernelTable(rows: readonly KernelRow[]): string {
  const head = "kernel                 n       SIMD        scalar      TS          scalar/SIMD  TS/SIMD";
  const body = rows.map(
    (r) =>
      `${r.kernel.padEnd(22)} ${String(r.n).padEnd(7)} ${fmtTime(r.simd).padEnd(11)} ${fmtTime(r.scalar).padEnd(11)} ${fmtTime(r.ts).padEnd(11)} ${(r.scalar / r.simd).toFixed(2).padStart(11)}  ${(r.ts / r.simd).toFixed(2).padStart(7)}`,
  );
  return [head, ...body].join("\n");
}
