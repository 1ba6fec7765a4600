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
import { gradCheck } from "../../helpers/gradcheck.js";
import { invReprLoss } from "../../helpers/inv-repr-loss.js";
import { NnBuffers } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/models/inv-repr*.ts: the whole inv_repr loss and its gradient. */
const core = getCore();
const w = core.wasm;

// Odd sizes throughout: dz 5, h 7, p̂_V 1, p̂_W 3, decoder degree 3, E 3 environments of b = 9 items.
const shape: InvReprShape = {
  inputs: 5,
  width: 7,
  pv: 1,
  pw: 3,
  decoderDegree: 3,
  environments: 3,
  items: 9,
  kernelDegree: 2,
  dtype: "f64",
  decoder: "poly",
  predictor: false,
};
const rowsOfZ = 40;
const z = uniforms("inv-repr z", rowsOfZ * shape.inputs).map((v, i) => v + 0.3 * (i % 3));
const rng = seedrandom("inv-repr index");
const index = Int32Array.from({ length: shape.environments * shape.items }, () => Math.floor(rng() * rowsOfZ));

/** The loss, its terms [L_rec, L_inv, L_ind, L_ent] and its gradient at `params` (λ's large enough that every term matters). */
function loss(
  params: ArrayLike<number>,
  grads = true,
  lambdas: [number, number, number] = [3, 2, 0.5],
  dtype: "f64" | "f32" = "f64",
) {
  const [l1, l2, l4] = lambdas;
  const r = invReprLoss(core, { ...shape, dtype }, params, [l1, l2, 0, l4], { z, index }, grads);
  return { ...r, terms: r.terms.slice(0, 4) };
}

describe("inv_repr loss", () => {
  const params = initInvRepr(shape, seedrandom("inv-repr init"));

  it("the core's parameter count equals the TypeScript layout's", () => {
    const count = core.scoped(() => w.inv_repr_param_count(putInvReprDescriptor(core, shape)));
    expect(count).toBe(invReprLayout(shape).count);
    expect(invReprLayout(shape).features).toBe(35);
  });

  it("is L_rec + λ1 L_inv + λ2 L_ind + λ4 L_ent, each term positive where it must be", () => {
    const r = loss(params);
    const [rec, inv, ind, ent] = r.terms as unknown as [number, number, number, number];
    expect(rec).toBeGreaterThan(0);
    expect(inv).toBeGreaterThan(0);
    expect(ind).toBeGreaterThan(0);
    expect(Number.isFinite(ent)).toBe(true);
    expect(Math.abs(r.value - (rec + 3 * inv + 2 * ind + 0.5 * ent))).toBeLessThan(1e-12 * Math.abs(r.value) + 1e-15);
  });

  it("gradient of the WHOLE loss by central differences (f64, odd sizes) below 1e-6", () => {
    const g = loss(params).grad;
    const x = Float64Array.from(params);
    const check = gradCheck((v) => loss(v, false).value, x, g, 1e-6);
    expect(check.worst).toBeLessThan(1e-6);
  });

  it("f32: the loss and its gradient equal the f64 ones (checked by central differences above) to f32 rounding", () => {
    // f32 central differences are not informative for this loss: at h = 1e-2 they were off by up to
    // 0.4 relative (a step that large crosses ReLU kinks and the log-det's curvature), and smaller
    // steps are rounding-bound in f32.
    const g32 = loss(params, true, [3, 2, 0.5], "f32");
    const g64 = loss(params);
    expect(Math.abs(g32.value - g64.value)).toBeLessThan(1e-4 * Math.abs(g64.value));
    const scale = Math.max(...[...g64.grad].map(Math.abs));
    const worst = Math.max(...[...g32.grad].map((v, i) => Math.abs(v - (g64.grad[i] as number))));
    expect(worst).toBeLessThan(1e-3 * scale);
  });

  it("each term's gradient alone passes too (λ's switched one at a time)", () => {
    for (const lambdas of [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ] as [number, number, number][]) {
      const g = loss(params, true, lambdas).grad;
      const x = Float64Array.from(params);
      // h = 1e-5: the log-det term alone is rounding-bound at 1e-6 (its error grows 10x per 10x
      // smaller h: 1.2e-7 at 1e-5, 1.3e-6 at 1e-6, 1.4e-5 at 1e-7), not truncation-bound.
      const check = gradCheck((v) => loss(v, false, lambdas).value, x, g, 1e-5);
      expect(check.worst, `λ ${lambdas}`).toBeLessThan(1e-6);
    }
  });

  it("train_epoch: AdamW steps over environment-grouped batches lower the batch loss; t advances per batch", () => {
    const out = core.scoped(() => {
      const nb = new NnBuffers(core, "f64");
      const desc = putInvReprDescriptor(core, shape);
      const hyper = putInvReprHyper(core, invReprHyper(1, 1));
      const adam = core.put([1e-2, 0.9, 0.999, 1e-8, 1e-4, 0]);
      const n = params.length;
      const [p, g, m, v] = [nb.put(params), nb.put(n), nb.put(n), nb.put(n)];
      const zp = nb.put(z);
      const batches = 4;
      const all = Int32Array.from({ length: batches * index.length }, (_, k) => index[k % index.length] as number);
      const ip = core.alloc(Math.ceil(all.length / 2));
      new Int32Array(w.memory.buffer, ip, all.length).set(all);
      const work = nb.bytes(w.inv_repr_work_size(desc));
      const terms = nb.put(10);
      const before = w.inv_repr_loss(desc, hyper, p, 0, zp, 0, ip, work, 0);
      const epochs = Array.from({ length: 5 }, () =>
        w.inv_repr_train_epoch(desc, hyper, adam, p, g, m, v, zp, 0, ip, batches, work, terms),
      );
      const after = w.inv_repr_loss(desc, hyper, p, 0, zp, 0, ip, work, 0);
      return {
        before,
        after,
        epochs,
        t: new Float64Array(w.memory.buffer, adam, 6)[5] as number,
        grads: nb.read(g, n),
      };
    });
    expect(out.after).toBeLessThan(out.before);
    expect(out.epochs[4] as number).toBeLessThan(out.epochs[0] as number);
    expect(out.t).toBe(20);
    expect([...out.grads].every((x) => x === 0)).toBe(true);
  });

  it("encode returns the latents the loss sees: rows of z in chunks of E b rows", () => {
    const n = 31; // not a multiple of E b = 27
    const lat = core.scoped(() => {
      const nb = new NnBuffers(core, "f64");
      const desc = putInvReprDescriptor(core, shape);
      const hyper = putInvReprHyper(core, invReprHyper(1, 1));
      const out = nb.put(n * 4);
      const work = nb.bytes(w.inv_repr_work_size(desc));
      w.inv_repr_encode(desc, hyper, nb.put(params), nb.put(z), n, out, work);
      return nb.read(out, n * 4);
    });
    // Row 30 (second chunk) by hand: two LayerNorm-ReLU blocks and the last Linear.
    const l = invReprLayout(shape);
    const row = Array.from(z.slice(30 * 5, 31 * 5));
    const lin = (x: number[], wOff: number, bOff: number, out: number) =>
      Array.from({ length: out }, (_, o) =>
        x.reduce((s, xi, i) => s + xi * (params[wOff + o * x.length + i] as number), params[bOff + o] as number),
      );
    const lnRelu = (x: number[], gOff: number, eOff: number) => {
      const mean = x.reduce((a, b) => a + b) / x.length;
      const v = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
      return x.map((xi, i) =>
        Math.max(0, ((xi - mean) / Math.sqrt(v + 1e-5)) * (params[gOff + i] as number) + (params[eOff + i] as number)),
      );
    };
    const h1 = lnRelu(lin(row, l.w1, l.b1, 7), l.g1, l.e1);
    const h2 = lnRelu(lin(h1, l.w2, l.b2, 7), l.g2, l.e2);
    const expected = lin(h2, l.w3, l.b3, 4);
    for (const [j, e] of expected.entries()) expect(Math.abs((lat[30 * 4 + j] as number) - e)).toBeLessThan(1e-12);
  });
});
