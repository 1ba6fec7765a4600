import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { type InvReprShape, initInvRepr, invReprLayout, putInvReprDescriptor } from "../../../src/models/inv-repr.js";
import { type InvReprLambdas, invReprLoss } from "../../helpers/inv-repr-loss.js";
import { uniforms } from "../../helpers/random.js";

/**
 * assembly/models/inv-repr-decoder.ts and inv-repr-predictor.ts: the MLP decoder and the relatedness
 * predictor, in the whole loss (inv-repr.test.ts checks the polynomial decoder the same way).
 */
const core = getCore();
const w = core.wasm;

// Odd sizes throughout: dz 5, h 7, p̂_V 1, p̂_W 3, E 3 environments of b = 9 items.
const base: InvReprShape = {
  inputs: 5,
  width: 7,
  pv: 1,
  pw: 3,
  decoderDegree: 3,
  decoder: "mlp",
  predictor: false,
  environments: 3,
  items: 9,
  kernelDegree: 2,
  dtype: "f64",
};
const rowsOfZ = 40;
const z = uniforms("inv-repr-heads z", rowsOfZ * base.inputs).map((v, i) => v + 0.3 * (i % 3));
const x = Float64Array.from({ length: rowsOfZ }, (_, i) => Math.sin(i) + (z[i * base.inputs] as number));
const rng = seedrandom("inv-repr-heads index");
const index = Int32Array.from({ length: base.environments * base.items }, () => Math.floor(rng() * rowsOfZ));

/** The loss, its 5 terms and its gradient at `params`. */
function loss(shape: InvReprShape, params: ArrayLike<number>, lambdas: InvReprLambdas, grads = true) {
  return invReprLoss(core, shape, params, lambdas, { z, index, ...(shape.predictor ? { x } : {}) }, grads);
}

/**
 * The worst relative error (floor 1e-3, as helpers/gradcheck.ts) of `analytic` against the 5-point
 * central difference (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h. The 3-point difference at
 * h = 1e-6 sits right at 1e-6 for these losses: the log-det term makes it rounding-bound (1.1e-6 at
 * 1e-6, 9.8e-6 at 1e-7) before it is truncation-free (7.6e-6 at 1e-5 for one weight). The 5-point
 * one is O(h⁴): at h = 1e-5 the three cases gave 1.3e-7 ... 1.9e-7. Larger steps cross ReLU kinks
 * (the MLP + predictor initialisation has a pre-activation within 2e-5 · 2 of 0: 7.6e-3 at
 * h = 2e-5), which is the difference quotient's failure, not the gradient's.
 */
function gradCheck5(loss: (v: Float64Array) => number, x: Float64Array, analytic: ArrayLike<number>, h = 1e-5) {
  let worst = { worst: 0, at: -1, analytic: 0, numeric: 0 };
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i] as number;
    const f = (d: number) => {
      x[i] = x0 + d;
      const v = loss(x);
      x[i] = x0;
      return v;
    };
    const numeric = (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h);
    const a = analytic[i] as number;
    const err = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), 1e-3);
    if (!(err <= worst.worst)) worst = { worst: err, at: i, analytic: a, numeric };
  }
  return worst;
}

const CASES: Array<{ name: string; shape: InvReprShape; lambdas: InvReprLambdas }> = [
  { name: "MLP decoder", shape: base, lambdas: [3, 2, 0, 0.5] },
  {
    name: "polynomial decoder + predictor (λ3 > 0)",
    shape: { ...base, decoder: "poly", predictor: true },
    lambdas: [3, 2, 0.7, 0.5],
  },
  { name: "MLP decoder + predictor", shape: { ...base, predictor: true }, lambdas: [3, 2, 0.7, 0.5] },
];

describe("inv_repr MLP decoder and predictor", () => {
  it("the core's parameter count equals the layout's; blocks follow the agreed order and sizes", () => {
    for (const { shape } of CASES) {
      const count = core.scoped(() => w.inv_repr_param_count(putInvReprDescriptor(core, shape)));
      expect(count, JSON.stringify(shape)).toBe(invReprLayout(shape).count);
    }
    const l = invReprLayout({ ...base, predictor: true });
    const q = 4;
    const encoder = 7 * 5 + 7 + 7 + 7 + 7 * 7 + 7 + 7 + 7 + q * 7 + q;
    expect([l.wd, l.bd, l.wd1]).toEqual([encoder, encoder, encoder]);
    expect([l.bd1, l.wd2, l.bd2, l.wd3, l.bd3, l.wp1]).toEqual(
      [7 * q, 7, 7 * 7, 7, 5 * 7, 5].map((_, k, a) => encoder + a.slice(0, k + 1).reduce((s, v) => s + v, 0)),
    );
    expect([l.bp1 - l.wp1, l.wp2 - l.bp1, l.bp2 - l.wp2, l.count - l.bp2]).toEqual([9, 3, 3, 1]);
    expect(l.features).toBe(0);
    // Without the predictor the layout ends with the decoder.
    expect(invReprLayout(base).count).toBe(l.wp1);
  });

  it("initialisation: each block U(±1/√fan_in) of its own layer", () => {
    const shape = { ...base, width: 64, predictor: true };
    const l = invReprLayout(shape);
    const p = initInvRepr(shape, seedrandom("init"));
    const bound = (from: number, to: number) => Math.max(...Array.from(p.subarray(from, to), Math.abs));
    expect(bound(l.wd1, l.wd2)).toBeLessThanOrEqual(1 / 2); // fan_in q = 4
    expect(bound(l.wd1, l.wd2)).toBeGreaterThan(0.45);
    expect(bound(l.wd2, l.wp1)).toBeLessThanOrEqual(1 / 8); // fan_in h = 64
    expect(bound(l.wp1, l.count)).toBeGreaterThan(1 / 8); // fan_in p̂_W = 3: bound 0.577
    expect(bound(l.wp1, l.count)).toBeLessThanOrEqual(1 / Math.sqrt(3));
  });

  for (const { name, shape, lambdas } of CASES) {
    const params = initInvRepr(shape, seedrandom(`init ${name}`));

    it(`${name}: the loss is the weighted sum of its terms, L_rel 0 exactly without the predictor`, () => {
      const r = loss(shape, params, lambdas);
      const [rec, inv, ind, ent, rel] = r.terms as [number, number, number, number, number];
      const [l1, l2, l3, l4] = lambdas;
      expect(rec).toBeGreaterThan(0);
      if (shape.predictor) expect(rel).toBeGreaterThan(0);
      else expect(rel).toBe(0);
      const sum = rec + l1 * inv + l2 * ind + l3 * rel + l4 * ent;
      expect(Math.abs(r.value - sum)).toBeLessThan(1e-12 * Math.abs(r.value));
    });

    it(`${name}: gradient of the WHOLE loss by 5-point central differences (f64, odd sizes) below 1e-6`, () => {
      const g = loss(shape, params, lambdas).grad;
      const check = gradCheck5((v) => loss(shape, v, lambdas, false).value, Float64Array.from(params), g);
      expect(check.worst, JSON.stringify(check)).toBeLessThan(1e-6);
    });

    it(`${name}: f32 loss and gradient equal the f64 ones to f32 rounding`, () => {
      const g64 = loss(shape, params, lambdas);
      const g32 = loss({ ...shape, dtype: "f32" }, params, lambdas);
      expect(Math.abs(g32.value - g64.value)).toBeLessThan(1e-4 * Math.abs(g64.value));
      const scale = Math.max(...Array.from(g64.grad, Math.abs));
      const worst = Math.max(...Array.from(g32.grad, (v, i) => Math.abs(v - (g64.grad[i] as number))));
      expect(worst).toBeLessThan(1e-3 * scale);
    });
  }

  it("the relatedness term alone (λ3 only) passes the gradient check, and moves the predictor's and encoder's gradients only", () => {
    const shape = { ...base, decoder: "poly" as const, predictor: true };
    const params = initInvRepr(shape, seedrandom("rel only"));
    const lambdas: InvReprLambdas = [0, 0, 1, 0];
    const with3 = loss(shape, params, lambdas).grad;
    const without = loss(shape, params, [0, 0, 0, 0]).grad;
    const l = invReprLayout(shape);
    // The decoder's gradient is L_rec's alone; the predictor's is L_rel's alone.
    for (let k = l.wd; k < l.wp1; k++) expect(with3[k]).toBe(without[k]);
    for (let k = l.wp1; k < l.count; k++) expect(without[k]).toBe(0);
    const check = gradCheck5((v) => loss(shape, v, lambdas, false).value, Float64Array.from(params), with3);
    expect(check.worst, JSON.stringify(check)).toBeLessThan(1e-6);
  });
});
