import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";
import { bestTime } from "./timing.js";

// A multiply-add loop with eight independent accumulators (and four multiplicands, so that x64's
// 16 vector registers hold everything): the most a WASM SIMD kernel can hope for on this machine.
// y changes every iteration so that the products cannot be hoisted out of the loop.
const SOURCE = `
export function peak64(n: i32, s: f64): f64 {
  let a0 = f64x2.splat(s), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  const x0 = f64x2.splat(1.5), x1 = f64x2.splat(0.5), x2 = f64x2.splat(-0.5), x3 = f64x2.splat(0.25);
  const d = f64x2.splat(1e-9);
  let y = f64x2.splat(s);
  for (let i = 0; i < n; i++) {
    a0 = f64x2.add(a0, f64x2.mul(x0, y)); a1 = f64x2.add(a1, f64x2.mul(x1, y));
    a2 = f64x2.add(a2, f64x2.mul(x2, y)); a3 = f64x2.add(a3, f64x2.mul(x3, y));
    a4 = f64x2.add(a4, f64x2.mul(x0, y)); a5 = f64x2.add(a5, f64x2.mul(x1, y));
    a6 = f64x2.add(a6, f64x2.mul(x2, y)); a7 = f64x2.add(a7, f64x2.mul(x3, y));
    y = f64x2.add(y, d);
  }
  const t = f64x2.add(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)), f64x2.add(f64x2.add(a4, a5), f64x2.add(a6, a7)));
  return f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
}
export function peak32(n: i32, s: f32): f32 {
  let a0 = f32x4.splat(s), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  const x0 = f32x4.splat(1.5), x1 = f32x4.splat(0.5), x2 = f32x4.splat(-0.5), x3 = f32x4.splat(0.25);
  const d = f32x4.splat(1e-9);
  let y = f32x4.splat(s);
  for (let i = 0; i < n; i++) {
    a0 = f32x4.add(a0, f32x4.mul(x0, y)); a1 = f32x4.add(a1, f32x4.mul(x1, y));
    a2 = f32x4.add(a2, f32x4.mul(x2, y)); a3 = f32x4.add(a3, f32x4.mul(x3, y));
    a4 = f32x4.add(a4, f32x4.mul(x0, y)); a5 = f32x4.add(a5, f32x4.mul(x1, y));
    a6 = f32x4.add(a6, f32x4.mul(x2, y)); a7 = f32x4.add(a7, f32x4.mul(x3, y));
    y = f32x4.add(y, d);
  }
  const t = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(t, 0) + f32x4.extract_lane(t, 1);
}
`;

/** Flops per loop iteration: 8 accumulators x (multiply + add) x lanes. */
const FLOPS_PER_ITER = { f64: 8 * 2 * 2, f32: 8 * 2 * 4 };

/** GFLOP/s of the loop above in this process (run with --no-liftoff: see `simdPeak`). */
async function measure(): Promise<{ f64: number; f32: number }> {
  const { binary, error } = await asc.compileString(SOURCE, { optimizeLevel: 3, runtime: "stub", enable: ["simd"] });
  if (!binary) throw new Error(`bench: the SIMD peak probe must compile; got ${String(error)}`);
  const inst = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(binary)), {
    env: { abort: () => undefined },
  });
  const probe = inst.exports as unknown as Record<"peak64" | "peak32", (n: number, s: number) => number>;
  const n = 20_000;
  const gflops = (fn: (n: number, s: number) => number, flops: number) =>
    (n * flops) / bestTime(() => fn(n, 0.5)) / 1e9;
  return { f64: gflops(probe.peak64, FLOPS_PER_ITER.f64), f32: gflops(probe.peak32, FLOPS_PER_ITER.f32) };
}

/**
 * GFLOP/s of the multiply-add loop above, compiled like the core (-O3, SIMD), in f64x2 and f32x4.
 * Measured in a child node with --no-liftoff: under V8's dynamic tiering this probe stayed in the
 * baseline compiler (Liftoff) through the whole measurement, at a third of the optimized speed.
 */
export function simdPeak(): { f64: number; f32: number } {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ["--no-liftoff", "--import", "tsx", self, "--probe"], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`bench: the SIMD peak probe must run; got ${child.stderr}`);
  return JSON.parse(child.stdout) as { f64: number; f32: number };
}

if (process.argv.includes("--probe")) console.log(JSON.stringify(await measure()));
