import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import {
  type InvReprShape,
  initInvRepr,
  invReprHyper,
  invReprLayout,
  putInvReprDescriptor,
  putInvReprHyper,
} from "../../../src/models/inv-repr.js";
import { batchIndex, type InvReprRun, reconstructionMse, trainInvRepr } from "../../../src/models/inv-repr-train.js";
import { Plateau } from "../../../src/models/plateau.js";
import { mlpReconstructionMse } from "../../helpers/inv-repr-forward.js";
import { NnBuffers } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

/** src/models/inv-repr-train.ts and plateau.ts: the training options (precision, reshuffle, plateau, clipping) and rec MSE. */
const core = getCore();
const w = core.wasm;

// Two environments whose Z means differ: 40 rows each, 30 training and 10 validation.
const shape: InvReprShape = {
  inputs: 3,
  width: 5,
  pv: 1,
  pw: 1,
  decoderDegree: 2,
  decoder: "poly",
  predictor: false,
  environments: 2,
  items: 5,
  kernelDegree: 2,
  dtype: "f64",
};
const z = Float64Array.from(uniforms("ito", 80 * 3), (v, k) => v + (k >= 120 ? 0.8 : 0));
const x = Float64Array.from({ length: 80 }, (_, i) => (z[3 * i] as number) - (z[3 * i + 1] as number));
const range = (a: number, b: number) => Int32Array.from({ length: b - a }, (_, i) => a + i);
const run = (seed: string, epochs: number, extra: Partial<InvReprRun> = {}): InvReprRun => ({
  z,
  x,
  train: [range(0, 30), range(40, 70)],
  validation: [range(30, 40), range(70, 80)],
  trainItems: 30,
  validationItems: 10,
  epochs,
  adam: [1e-2, 0.9, 0.999, 1e-8, 1e-4],
  lastEpochs: 3,
  rand: seedrandom(seed),
  ...extra,
});

describe("Plateau (ReduceLROnPlateau defaults)", () => {
  it("halves lr on the 21st epoch in a row without a 1e-4 relative improvement, then counts again", () => {
    const p = new Plateau();
    const lrs = [p.step(1, 1)];
    // Improvements smaller than 1e-4 relative do not count.
    for (let e = 1; e < 60; e++) lrs.push(p.step(1 - 0.5e-4, lrs.at(-1) as number));
    expect(lrs.slice(0, 21)).toEqual(new Array(21).fill(1));
    expect(lrs[21]).toBe(0.5);
    expect(lrs.slice(22, 42)).toEqual(new Array(20).fill(0.5));
    expect(lrs[42]).toBe(0.25);
  });

  it("an improvement by more than 1e-4 relative resets the count; a reduction below eps 1e-8 is not made", () => {
    const p = new Plateau();
    let lr = 1;
    for (let e = 0; e < 20; e++) lr = p.step(1, lr);
    lr = p.step(0.99, lr); // improvement: count back to 0
    for (let e = 0; e < 20; e++) lr = p.step(0.99, lr);
    expect(lr).toBe(1);
    expect(p.step(0.99, lr)).toBe(0.5);
    const tiny = new Plateau();
    let small = 1.5e-8;
    for (let e = 0; e < 22; e++) small = tiny.step(1, small);
    expect(small).toBe(1.5e-8);
  });
});

describe("trainInvRepr options", () => {
  it("plateau: a flat run (lr 1e-7) halves lr after epoch 22; nothing changes before", () => {
    const flat = { adam: [1e-7, 0.9, 0.999, 1e-8, 0] as InvReprRun["adam"] };
    const on = trainInvRepr(core, shape, invReprHyper(1, 1), run("p", 24, { ...flat, plateau: true }));
    const off = trainInvRepr(core, shape, invReprHyper(1, 1), run("p", 24, flat));
    expect(on.lr.slice(0, 22)).toEqual(new Array(22).fill(1e-7));
    expect(on.lr.slice(22)).toEqual([5e-8, 5e-8]);
    expect(off.lr).toEqual(new Array(24).fill(1e-7));
    // The scheduler's metric is the validation loss without L_ent; the run is flat to 1e-4.
    const [first, last] = [on.validationTotal[0] as number, on.validationTotal[21] as number];
    expect(Math.abs(last - first) / first).toBeLessThan(1e-4);
    const upTo22 = trainInvRepr(core, shape, invReprHyper(1, 1), run("p", 22, { ...flat, plateau: true }));
    const off22 = trainInvRepr(core, shape, invReprHyper(1, 1), run("p", 22, flat));
    expect(upTo22.params).toEqual(off22.params);
    expect(on.params).not.toEqual(off.params);
  });

  it("reshuffle: a fresh training table per epoch drawn from the run's stream after the first two tables; reproducible", () => {
    let draws = 0;
    const counting = (seed: string) => {
      const r = seedrandom(seed);
      return () => {
        draws++;
        return r();
      };
    };
    const a = trainInvRepr(core, shape, invReprHyper(1, 1), run("r", 4, { reshuffle: true, rand: counting("r") }));
    const drawsReshuffled = draws;
    draws = 0;
    const plain = trainInvRepr(core, shape, invReprHyper(1, 1), run("r", 4, { rand: counting("r") }));
    // Per table: 6 batches x 5 items x 2 environments draws; three fresh tables for epochs 2 ... 4.
    expect(drawsReshuffled - draws).toBe(3 * 60);
    // The tables the run drew, replayed from the same stream: each epoch's differs.
    const r = seedrandom("r");
    initInvRepr(shape, r);
    const tables = [batchIndex(run("r", 1).train, 5, 30, r)];
    batchIndex(run("r", 1).validation, 5, 10, r);
    for (let e = 1; e < 4; e++) tables.push(batchIndex(run("r", 1).train, 5, 30, r));
    for (let e = 1; e < 4; e++) expect(tables[e]).not.toEqual(tables[e - 1]);
    const b = trainInvRepr(core, shape, invReprHyper(1, 1), run("r", 4, { reshuffle: true }));
    expect(b.params).toEqual(a.params);
    expect(a.params).not.toEqual(plain.params);
    // One epoch uses the first table either way.
    const one = trainInvRepr(core, shape, invReprHyper(1, 1), run("r", 1, { reshuffle: true }));
    expect(one.params).toEqual(trainInvRepr(core, shape, invReprHyper(1, 1), run("r", 1)).params);
  });

  it("precision f32: parameters are f32 values close to the f64 run's; the predictor reads X", () => {
    const withX = { ...shape, predictor: true };
    const hyper = { ...invReprHyper(1, 1), lambda3: 0.1 };
    const f64 = trainInvRepr(core, withX, hyper, run("f", 3));
    const f32 = trainInvRepr(core, { ...withX, dtype: "f32" }, hyper, run("f", 3));
    expect(f32.params.every((v) => Math.fround(v) === v)).toBe(true);
    const worst = Math.max(...Array.from(f32.params, (v, i) => Math.abs(v - (f64.params[i] as number))));
    expect(worst).toBeLessThan(1e-4);
    expect(worst).toBeGreaterThan(0);
    expect(f64.lastTerms[4] as number).toBeGreaterThan(0);
    const noPredictor = trainInvRepr(core, shape, invReprHyper(1, 1), run("f", 3));
    expect(noPredictor.lastTerms[4]).toBe(0);
  });

  it("reconstructionMse: all rows, equal to a direct computation (MLP decoder, 80 rows: chunks of 10 rows)", () => {
    const mlp: InvReprShape = { ...shape, decoder: "mlp" };
    const params = initInvRepr(mlp, seedrandom("rec"));
    const direct = mlpReconstructionMse(mlp, params, z, 77);
    expect(Math.abs(reconstructionMse(core, mlp, params, z, 77) - direct)).toBeLessThan(1e-13 * direct);
  });
});

describe("inv_repr_train_epoch clipping", () => {
  const params = initInvRepr(shape, seedrandom("clip"));
  const n = invReprLayout(shape).count;
  const index = Int32Array.from({ length: 10 }, (_, i) => (i < 5 ? i : 40 + i));

  /** One AdamW step from m = 0 with clipping at `clip`: the gradient, and m / (1 − β1), the gradient the step used. */
  function step(clip: number) {
    return core.scoped(() => {
      const nb = new NnBuffers(core, "f64");
      const desc = putInvReprDescriptor(core, shape);
      const hyper = putInvReprHyper(core, { ...invReprHyper(1, 1), clipNorm: clip });
      const [p, g, m, v] = [nb.put(params), nb.put(n), nb.put(n), nb.put(n)];
      const ip = core.alloc(5);
      new Int32Array(w.memory.buffer, ip, 10).set(index);
      const work = nb.bytes(w.inv_repr_work_size(desc));
      w.inv_repr_loss(desc, hyper, p, g, nb.put(z), 0, ip, work, 0);
      const grad = nb.read(g, n);
      const adam = core.put([1e-3, 0.9, 0.999, 1e-8, 0, 0]);
      w.inv_repr_train_epoch(desc, hyper, adam, p, g, m, v, nb.put(z), 0, ip, 1, work, nb.put(10));
      return { grad, used: nb.read(m, n).map((u) => u / 0.1) };
    });
  }
  const norm = (a: Float64Array) => Math.sqrt(a.reduce((s, u) => s + u * u, 0));

  it("scales the gradient to the given global L2 norm before the step; leaves smaller gradients alone", () => {
    const free = step(0);
    const total = norm(free.grad);
    const clipped = step(total / 10);
    // torch's factor: max_norm / (total + 1e-6).
    const coef = total / 10 / (total + 1e-6);
    expect(Math.abs(norm(clipped.used) - total / 10)).toBeLessThan(1e-6 * total);
    clipped.used.forEach((u, i) => {
      expect(Math.abs(u - (free.grad[i] as number) * coef)).toBeLessThan(1e-14 * total);
    });
    const loose = step(total * 10);
    loose.used.forEach((u, i) => {
      expect(Math.abs(u - (free.used[i] as number))).toBeLessThan(1e-15 * total);
    });
  });
});
