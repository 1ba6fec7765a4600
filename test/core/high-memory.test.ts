import { freemem } from "node:os";
import { describe, expect, it } from "vitest";
import { createCore } from "../../src/core/load.js";
import type { Core } from "../../src/core/memory.js";
import { fit } from "../../src/estimators/fit.js";
import { simulate } from "../../src/sim/simulate.js";
import { assertClose } from "../helpers/assert-close.js";
import { uniforms } from "../helpers/random.js";

const TWO_GIB = 2 ** 31;
/** The test touches little of its 2 GiB, but the machine must be able to commit it if asked. */
const NEEDED = 3 * 2 ** 30;
const N = 1000;
const P = 8;

/**
 * A fresh core whose arena top sits `below` bytes under the 2 GiB mark, or null when memory cannot
 * grow that far here (the WebAssembly engine or the machine refuses).
 */
function coreNear2GiB(below: number): Core | null {
  const core = createCore();
  try {
    core.alloc((TWO_GIB - below - core.wasm.mark()) / 8);
    return core;
  } catch {
    return null;
  }
}

const room = freemem() >= NEEDED;
const label = room
  ? "the core works past 2 GiB"
  : `the core works past 2 GiB (skipped: needs ${NEEDED / 2 ** 30} GiB free memory, ${(freemem() / 2 ** 30).toFixed(1)} GiB free)`;

describe.skipIf(!room)(label, () => {
  it("addresses above 2 GiB come back unsigned, and kernels and views work on a matrix across the mark", (ctx) => {
    // X straddles 2^31: half its columns below, half above.
    const core = coreNear2GiB((N * P * 8) / 2);
    if (!core) return ctx.skip("WebAssembly memory could not grow past 2 GiB on this machine");
    const x = uniforms("high-x", N * P);
    const px = core.put(x);
    expect(px).toBeLessThan(TWO_GIB);
    const pc = core.alloc(P * P);
    expect(pc).toBeGreaterThan(TWO_GIB);
    expect(core.wasm.mark()).toBeGreaterThan(TWO_GIB);
    expect(core.peak).toBe(pc + P * P * 8);
    core.wasm.crossprod(N, P, px, N, pc);
    const c = core.read(pc, P * P);
    for (let j = 0; j < P; j++) {
      for (let k = 0; k < P; k++) {
        let s = 0;
        for (let i = 0; i < N; i++) s += (x[j * N + i] as number) * (x[k * N + i] as number);
        assertClose(c[j * P + k] as number, s, { rtol: 1e-12, atol: 0 });
      }
    }
    // A column copied from below the mark to above it, and read back through every kind of view.
    const last = core.copy(px + (P - 1) * N * 8, N);
    expect(last).toBeGreaterThan(TWO_GIB);
    expect(core.view(last, N)).toEqual(x.subarray((P - 1) * N));
    expect(core.u32(last, 2)).toEqual(new Uint32Array(x.buffer, x.byteOffset + (P - 1) * N * 8, 2));
    assertClose(core.wasm.dot(N, last, last), core.wasm.dot(N, px + (P - 1) * N * 8, px + (P - 1) * N * 8), {
      rtol: 0,
      atol: 0,
    });
  });

  it("fit gives the same estimates with its dataset above 2 GiB as near the bottom of memory", (ctx) => {
    const sim = simulate("study", { n: 2000, L: 5, seed: 31 });
    const opts = { estimators: ["ols", "tsls", "tsls_lasso"], seed: 4 };
    const low = fit(sim.data, sim.roles, { ...opts, core: createCore() });
    const core = coreNear2GiB(0);
    if (!core) return ctx.skip("WebAssembly memory could not grow past 2 GiB on this machine");
    const high = fit(sim.data, sim.roles, { ...opts, core });
    expect(core.peak).toBeGreaterThan(TWO_GIB);
    expect(high.map((r) => [r.estimator, r.estimate, r.se])).toEqual(low.map((r) => [r.estimator, r.estimate, r.se]));
  });
});
