import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { type InvReprShape, invReprLayout } from "../../../src/models/inv-repr.js";
import { assertClose } from "../../helpers/assert-close.js";
import { fixturePath } from "../../helpers/fixtures.js";
import { invReprLoss } from "../../helpers/inv-repr-loss.js";
import { fixtureTol } from "../../helpers/nn-buffers.js";

/**
 * assembly/models/inv-repr*.ts against an independent PyTorch float64 reference
 * (test/fixtures/inv-repr/make_inv_repr.py: Gram-form MMD² and HSIC, autograd gradients).
 */
const core = getCore();

interface TorchCase {
  shape: {
    dz: number;
    h: number;
    pv: number;
    pw: number;
    decoder: "poly" | "mlp";
    degree: number;
    E: number;
    b: number;
    predictor: boolean;
  };
  lambdas: { l1: number; l2: number; l3: number; l4: number };
  z: number[];
  x: number[];
  index: number[];
  params: number[];
  terms: { rec: number; inv: number; ind: number; rel: number; ent: number };
  loss: number;
  grad: number[];
}

const fixture = JSON.parse(readFileSync(fixturePath("inv-repr", "inv-repr.json"), "utf8")) as Record<string, TorchCase>;

function shapeOf(c: TorchCase): InvReprShape {
  const s = c.shape;
  return {
    inputs: s.dz,
    width: s.h,
    pv: s.pv,
    pw: s.pw,
    decoderDegree: s.degree,
    decoder: s.decoder,
    predictor: s.predictor,
    environments: s.E,
    items: s.b,
    kernelDegree: 2,
    dtype: "f64",
  };
}

/** The core's f64 loss, terms [L_rec, L_inv, L_ind, L_ent, L_rel] and gradient on the case's batch. */
function coreLoss(c: TorchCase) {
  const { l1, l2, l3, l4 } = c.lambdas;
  return invReprLoss(core, shapeOf(c), c.params, [l1, l2, l3, l4], { z: c.z, x: c.x, index: c.index });
}

const cases = Object.keys(fixture);

describe("inv_repr against PyTorch (float64, Gram-form kernels)", () => {
  it("covers polynomial degrees 2 and 3, the MLP decoder, the predictor (λ3 > 0) and E = 2 and 3", () => {
    const shapes = cases.map((k) => (fixture[k] as TorchCase).shape);
    const poly = shapes.filter((s) => s.decoder === "poly");
    expect(new Set(poly.map((s) => s.degree))).toEqual(new Set([2, 3]));
    expect(new Set(shapes.map((s) => s.decoder))).toEqual(new Set(["poly", "mlp"]));
    expect(new Set(shapes.map((s) => s.predictor))).toEqual(new Set([false, true]));
    expect(new Set(shapes.map((s) => s.E))).toEqual(new Set([2, 3]));
  });

  it.each(cases)("%s: loss terms and the whole flat gradient to 1e-10", (name) => {
    const c = fixture[name] as TorchCase;
    expect(invReprLayout(shapeOf(c)).count).toBe(c.params.length);
    const r = coreLoss(c);
    const t = c.terms;
    assertClose(r.terms, [t.rec, t.inv, t.ind, t.ent, t.rel], { rtol: 1e-10, atol: 1e-300 }, `${name} terms`);
    assertClose(r.value, c.loss, { rtol: 1e-10 }, `${name} loss`);
    assertClose(r.grad, c.grad, fixtureTol("f64", c.grad), `${name} gradient`);
  });
});
