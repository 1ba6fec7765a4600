import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getCore } from "../../src/core/load.js";
import { Core } from "../../src/core/memory.js";
import type { EncoderData } from "../../src/estimators/encoder.js";
import type * as FirstStageModule from "../../src/estimators/first-stage.js";
import { fit, toIndividualData } from "../../src/estimators/fit.js";
import { simulate } from "../../src/sim/simulate.js";
import { assertClose } from "../helpers/assert-close.js";

/**
 * Every two-stage estimator takes its X_hat from the shared first stage (src/estimators/first-stage.ts),
 * and X_hat stays in the core: the component and the encoder are wrapped (vi.mock) to record what
 * each call returned and received, and Core.read is spied on so that any copy of X_hat out of the
 * core is seen.
 */

interface StageCall {
  kind: string;
  ptr: number;
  xhat: Float64Array;
}

interface EncoderCall {
  /** The pointer the encoder was given, or null when it got a JavaScript array. */
  ptr: number | null;
  x: Float64Array;
}

const seen = vi.hoisted(() => ({ stages: [] as StageCall[], encoder: [] as EncoderCall[] }));

vi.mock("../../src/estimators/first-stage.js", async (importOriginal) => {
  const mod = await importOriginal<typeof FirstStageModule>();
  const firstStage = (...args: Parameters<typeof mod.firstStage>) => {
    const [core] = args;
    const out = mod.firstStage(...args);
    // A view's copy, not Core.read: the spy below must see only the estimators' reads.
    if (out.status === "ok")
      seen.stages.push({ kind: out.kind, ptr: out.xhat, xhat: core.view(out.xhat, out.n).slice() });
    return out;
  };
  return { ...mod, firstStage };
});

vi.mock("../../src/estimators/encoder.js", async (importOriginal) => {
  const mod = await importOriginal<typeof import("../../src/estimators/encoder.js")>();
  const trainEncoder = (...args: Parameters<typeof mod.trainEncoder>) => {
    const [core, data]: [Core, EncoderData] = [args[0], args[1]];
    const len = data.n * (data.k ?? 1);
    const x = typeof data.x === "number" ? core.view(data.x, len).slice() : Float64Array.from(data.x);
    seen.encoder.push({ ptr: typeof data.x === "number" ? data.x : null, x });
    return mod.trainEncoder(...args);
  };
  return { ...mod, trainEncoder };
});

const core = getCore();
const sim = simulate("study", { n: 800, L: 6, pi_scale: 0.5, context: true, seed: 5 });
const Y = toIndividualData(sim.data, sim.roles).outcome;
const reads: Float64Array[] = [];
const readSpy = vi.spyOn(Core.prototype, "read");

beforeAll(() => {
  readSpy.mockImplementation(function (this: Core, ptr: number, len: number) {
    const out = this.view(ptr, len).slice();
    reads.push(out);
    return out;
  });
});
afterAll(() => readSpy.mockRestore());

/** Fits one estimator, with what the first stage and the encoder saw during that fit. */
function fitOne(id: string, params: Record<string, unknown> = {}) {
  seen.stages.length = 0;
  seen.encoder.length = 0;
  reads.length = 0;
  const [row] = fit(sim.data, sim.roles, { estimators: [id], params });
  if (!row) throw new Error(`${id}: no row`);
  return { row, stages: [...seen.stages], encoder: [...seen.encoder], reads: [...reads] };
}

/** cov(a, y) / var(a): the OLS slope of y on [1, a]. */
function slope(a: Float64Array, y: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    my += y[i] as number;
  }
  ma /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((a[i] as number) - ma) * ((y[i] as number) - my);
    sxx += ((a[i] as number) - ma) ** 2;
  }
  return sxy / sxx;
}

/** Whether some read out of the core holds exactly the values of `xhat`. */
function readOut(reads: readonly Float64Array[], xhat: Float64Array): boolean {
  return reads.some((r) => r.length === xhat.length && r.every((v, i) => Object.is(v, xhat[i])));
}

describe("the shared first stage", () => {
  it.each([
    ["tsls", "ols"],
    ["tsls_lasso", "lasso"],
    ["tsls_post_lasso", "post_lasso"],
  ])("gives %s the X_hat its second stage regresses Y on (kind %s), never read out of the core", (id, kind) => {
    const { row, stages, reads } = fitOne(id);
    expect(row.status).toBe("ok");
    expect(stages.map((s) => s.kind)).toEqual([kind]);
    const xhat = (stages[0] as StageCall).xhat;
    // The second stage is OLS of Y on [1, X_hat]: its slope is the estimate.
    assertClose(row.estimate, slope(xhat, Y), { rtol: 1e-9 }, `${id}: estimate against cov(X_hat, Y) / var(X_hat)`);
    expect(readOut(reads, xhat), `${id} read X_hat out of the core`).toBe(false);
  });

  it.each([
    ["ctx_tsls", "ols"],
    ["ctx_tsls_lasso", "lasso"],
  ])("gives %s's encoder X_hat in place (kind %s): the same pointer and values, no JavaScript copy", (id, kind) => {
    const { row, stages, encoder, reads } = fitOne(id, { preset: "fast" });
    expect(row.status).toMatch(/^(ok|not_converged)$/);
    expect(stages.map((s) => s.kind)).toEqual([kind]);
    expect(encoder).toHaveLength(1);
    const stage = stages[0] as StageCall;
    const enc = encoder[0] as EncoderCall;
    expect(enc.ptr, `${id} gave the encoder a JavaScript array`).toBe(stage.ptr);
    expect(enc.x).toEqual(stage.xhat);
    expect(readOut(reads, stage.xhat), `${id} read X_hat out of the core`).toBe(false);
  });

  it("sees a read of X_hat out of the core (the check above can fail)", () => {
    const { stages } = fitOne("tsls");
    const stage = stages[0] as StageCall;
    reads.length = 0;
    core.scoped(() => core.read(core.put(stage.xhat), stage.xhat.length));
    expect(readOut(reads, stage.xhat)).toBe(true);
  });
});
