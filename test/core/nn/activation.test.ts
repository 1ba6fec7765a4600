import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { nnFixture } from "../../helpers/gradcheck.js";
import { type Dtype, fdSettings, fixtureTol, layerGradCheck, NnBuffers } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

const core = getCore();
const w = core.wasm;

/** Forward and backward of nn_activation (dIn starts at `pre`: backward must add). */
function activation(
  dtype: Dtype,
  B: number,
  F: number,
  kind: number,
  slope: number,
  x: Float64Array,
  g: ArrayLike<number>,
  pre = 0,
) {
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const desc = nb.desc(B, F, kind);
    const hyper = nb.hyper(slope);
    const px = nb.put(x);
    const pg = nb.put(g);
    const out = nb.put(B * F);
    const dx = nb.put(new Float64Array(B * F).fill(pre));
    w.nn_activation_forward(desc, hyper, px, out);
    w.nn_activation_backward(desc, hyper, px, out, pg, dx);
    return { out: nb.read(out, B * F), grads: { x: nb.read(dx, B * F) } };
  });
}

const KINDS = [
  { kind: 0, name: "ReLU", slope: 0 },
  { kind: 1, name: "LeakyReLU", slope: 0.2 },
  { kind: 2, name: "Tanh", slope: 0 },
  { kind: 3, name: "Sigmoid", slope: 0 },
];

describe.each(["f64", "f32"] as Dtype[])("nn_activation (%s)", (dtype) => {
  it.each(KINDS)("$name: the input gradient matches central differences (3 x 7)", ({ kind, slope }) => {
    // inputs kept 0.1 away from ReLU's kink so that x +- h stays on one side of it
    const x = uniforms(`ax${kind}`, 21).map((v) => (v < 0 ? v - 0.1 : v + 0.1) * 2);
    const g = uniforms(`ag${kind}`, 21);
    const worst = layerGradCheck(dtype, { x }, g, (v) => activation(dtype, 3, 7, kind, slope, v.x as Float64Array, g));
    expect(worst.x?.worst).toBeLessThan(fdSettings(dtype).tol);
  });

  const fixture = nnFixture("activation");
  it.each(Object.keys(fixture))("equals torch.nn: %s", (name) => {
    const c = fixture[name] as Record<string, number[] | number>;
    const arr = (k: string) => Float64Array.from(c[k] as number[]);
    const r = activation(
      dtype,
      c.B as number,
      c.F as number,
      c.kind as number,
      c.slope as number,
      arr("x"),
      arr("g"),
      0.25,
    );
    const dx = arr("dx").map((v) => v + 0.25);
    assertClose(r.out, arr("out"), fixtureTol(dtype, arr("out")), `${name} out`);
    assertClose(r.grads.x, dx, fixtureTol(dtype, dx), `${name} dx`);
  });
});
