import { getCore } from "../src/core/load.js";
import { simdPeak } from "./simd-peak.js";
import { bestTime } from "./timing.js";

type Dtype = "f64" | "f32";
type Product = "forward" | "backward_input" | "backward_weight";

const PRODUCTS: Product[] = ["forward", "backward_input", "backward_weight"];

/** Shapes (B, I, O) the context encoder and its successors use: batch 1..64, widths 8..64. */
const SHAPES: [number, number, number][] = [
  [1, 10, 32],
  [1, 32, 32],
  [1, 64, 64],
  [8, 32, 32],
  [16, 64, 64],
  [64, 8, 8],
  [64, 32, 32],
  [64, 64, 64],
];

/** Calls every kernel for ~0.5 s at a small shape first, so that V8 has moved them to its optimizing tier. */
function warmUp(): void {
  const t0 = performance.now();
  while (performance.now() - t0 < 500) {
    for (const dtype of ["f64", "f32"] as Dtype[])
      for (const p of PRODUCTS) for (const simd of [true, false]) gflopsOnce(dtype, p, simd);
  }
}

function gflopsOnce(dtype: Dtype, product: Product, simd: boolean): void {
  const core = getCore();
  core.scoped(() => {
    const desc = core.alloc(2);
    new Int32Array(core.wasm.memory.buffer, desc, 4).set([dtype === "f32" ? 1 : 0, 4, 8, 8]);
    const a = core.alloc(64);
    for (let k = 0; k < 100; k++) core.wasm[`nn_matmul_${product}${simd ? "" : "_scalar"}`](desc, a, a, a);
  });
}

/** GFLOP/s (2 B I O flops per call, best of 25 batches, JS-to-WASM call included) of one product. */
function gflops(dtype: Dtype, product: Product, simd: boolean, B: number, I: number, O: number): number {
  const core = getCore();
  const w = core.wasm;
  return core.scoped(() => {
    const desc = core.alloc(2);
    new Int32Array(w.memory.buffer, desc, 4).set([dtype === "f32" ? 1 : 0, B, I, O]);
    const size = Math.max(B * I, O * I, B * O);
    const [a, b, c] = [0, 1, 2].map(() => core.put(Float64Array.from({ length: size }, (_, k) => Math.sin(k) * 0.5)));
    if (dtype === "f32") for (const p of [a, b, c]) new Float32Array(w.memory.buffer, p as number, size).fill(0.25);
    const kernel = w[`nn_matmul_${product}${simd ? "" : "_scalar"}`];
    return (2 * B * I * O) / bestTime(() => kernel(desc, a as number, b as number, c as number)) / 1e9;
  });
}

/** The matmul kernels of assembly/nn in GFLOP/s, SIMD and scalar twin, next to the machine's WASM SIMD peak. */
export function benchNn(): string {
  const peak = simdPeak();
  warmUp();
  const lines = [
    `assembly/nn matmul, GFLOP/s (best of 25 batches, call overhead included); WASM SIMD multiply-add peak: f64x2 ${peak.f64.toFixed(2)}, f32x4 ${peak.f32.toFixed(2)}`,
    "B   I   O    dtype  forward SIMD/scalar  dIn SIMD/scalar  dW SIMD/scalar   best % of peak",
  ];
  for (const [B, I, O] of SHAPES) {
    for (const dtype of ["f64", "f32"] as Dtype[]) {
      const cells = PRODUCTS.map((p) => [gflops(dtype, p, true, B, I, O), gflops(dtype, p, false, B, I, O)]);
      const best = Math.max(...cells.map((c) => c[0] as number));
      lines.push(
        [
          `${B}`.padEnd(4),
          `${I}`.padEnd(4),
          `${O}`.padEnd(5),
          dtype.padEnd(7),
          ...cells.map(([s, t]) => `${(s as number).toFixed(2)} / ${(t as number).toFixed(2)}`.padEnd(17)),
          `${((100 * best) / peak[dtype]).toFixed(0)}%`,
        ].join(""),
      );
    }
  }
  return lines.join("\n");
}
