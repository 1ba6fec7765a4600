import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { nnFixture } from "../../helpers/gradcheck.js";
import { type Dtype, fdSettings, fixtureTol, layerGradCheck, NnBuffers } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

const core = getCore();
const w = core.wasm;

/** Forward and backward of nn_dropout with upstream g; dIn starts at `pre` (backward must add). */
function dropout(
  dtype: Dtype,
  B: number,
  F: number,
  shared: boolean,
  p: number,
  x: Float64Array,
  mask: ArrayLike<number>,
  g: ArrayLike<number>,
  pre = 0,
) {
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const desc = nb.desc(B, F, shared ? 1 : 0);
    const hyper = nb.hyper(p);
    const [px, pm, pg] = [x, mask, g].map((a) => nb.put(a)) as [number, number, number];
    const out = nb.put(B * F);
    const dx = nb.put(new Float64Array(B * F).fill(pre));
    w.nn_dropout_forward(desc, hyper, px, pm, out);
    w.nn_dropout_backward(desc, hyper, pm, pg, dx);
    return { out: nb.read(out, B * F), grads: { x: nb.read(dx, B * F) } };
  });
}

const maskOf = (seed: string, n: number) => uniforms(seed, n).map((v) => (v < 0.2 ? 1 : 0));

describe.each(["f64", "f32"] as Dtype[])("nn_dropout (%s)", (dtype) => {
  it.each([
    { shared: false, F: 7 },
    { shared: true, F: 7 },
  ])("the input gradient matches central differences (5 x $F, shared $shared)", ({ shared, F }) => {
    const B = 5;
    const mask = maskOf(`dm${shared}`, shared ? F : B * F);
    const x = uniforms("dx", B * F);
    const g = uniforms("dg", B * F);
    const worst = layerGradCheck(dtype, { x }, g, (v) =>
      dropout(dtype, B, F, shared, 0.3, v.x as Float64Array, mask, g),
    );
    expect(worst.x?.worst).toBeLessThan(fdSettings(dtype).tol);
  });

  it("a shared mask drops the same features in every row", () => {
    const mask = [1, 0, 1];
    const r = dropout(dtype, 2, 3, true, 0.5, Float64Array.from([1, 2, 3, 4, 5, 6]), mask, new Float64Array(6));
    expect(Array.from(r.out)).toEqual([2, 0, 6, 8, 0, 12]);
  });

  it("p = 1 gives zeros and zero gradients, as torch does", () => {
    const r = dropout(dtype, 1, 3, false, 1, Float64Array.from([1, 2, 3]), [0, 0, 0], [1, 1, 1]);
    expect(Array.from(r.out)).toEqual([0, 0, 0]);
    expect(Array.from(r.grads.x)).toEqual([0, 0, 0]);
  });

  const fixture = nnFixture("dropout");
  it.each(Object.keys(fixture))("equals torch's dropout: %s", (name) => {
    const c = fixture[name] as Record<string, number[] | number>;
    const arr = (k: string) => Float64Array.from(c[k] as number[]);
    const r = dropout(
      dtype,
      c.B as number,
      c.F as number,
      c.shared === 1,
      c.p as number,
      arr("x"),
      arr("mask"),
      arr("g"),
      0.25,
    );
    const dx = arr("dx").map((v) => v + 0.25);
    assertClose(r.out, arr("out"), fixtureTol(dtype, arr("out")), `${name} out`);
    assertClose(r.grads.x, dx, fixtureTol(dtype, dx), `${name} dx`);
  });
});
