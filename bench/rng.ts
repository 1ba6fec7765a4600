import { getCore } from "../src/core/load.js";
import type { RandomStream } from "../src/sim/rng.js";
import { BACKENDS } from "../src/sim/simulate.js";
import { timeIt } from "./timing.js";

const SIZE = 100_000;

/** Million draws per second of each backend for uniforms, normals and Binomial(2, p) genotypes. */
export function benchRng(): string {
  const core = getCore();
  const probs = new Float64Array([0.1, 0.25, 0.4, 0.5]);
  const rows = Object.entries(BACKENDS).map(([id, make]) => {
    const rng: RandomStream = make(7, core);
    const rate = (fn: () => unknown) => SIZE / timeIt(fn) / 1e6;
    return {
      id,
      uniform: rate(() => rng.uniform(0, 1, SIZE)),
      normal: rate(() => rng.normal(0, 1, SIZE)),
      binomial: rate(() => rng.binomialMatrix(2, probs, SIZE / probs.length)),
      integers: rate(() => rng.integers(12, 50, SIZE)),
    };
  });
  const head = "backend      uniform   normal    binomial  integers   (M draws/s)";
  const body = rows.map(
    (r) =>
      `${r.id.padEnd(12)} ${r.uniform.toFixed(1).padEnd(9)} ${r.normal.toFixed(1).padEnd(9)} ${r.binomial.toFixed(1).padEnd(9)} ${r.integers.toFixed(1)}`,
  );
  return [head, ...body].join("\n");
}
