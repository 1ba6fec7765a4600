import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { nnFixture } from "../../helpers/gradcheck.js";
import { type Dtype, fdSettings, fixtureTol, layerGradCheck, NnBuffers } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

const core = getCore();
const w = core.wasm;

interface Shape {
  B: number;
  I: number;
  O: number;
  bias: boolean;
}

/** Forward and backward of nn_linear on f64 inputs x, w, b with upstream g; grads start at `pre`. */
function linear(
  dtype: Dtype,
  s: Shape,
  x: Float64Array,
  wt: Float64Array,
  b: Float64Array,
  g: ArrayLike<number>,
  pre = 0,
) {
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const desc = nb.desc(s.B, s.I, s.O, s.bias ? 1 : 0);
    const [px, pw, pb, pg] = [x, wt, b, g].map((a) => nb.put(a)) as [number, number, number, number];
    const out = nb.put(s.B * s.O);
    const [dx, dw, db] = [s.B * s.I, s.O * s.I, s.O].map((n) => nb.put(new Float64Array(n).fill(pre))) as [
      number,
      number,
      number,
    ];
    w.nn_linear_forward(desc, px, pw, pb, out);
    w.nn_linear_backward(desc, px, pw, pg, dx, dw, db);
    return {
      out: nb.read(out, s.B * s.O),
      grads: { x: nb.read(dx, s.B * s.I), w: nb.read(dw, s.O * s.I), b: nb.read(db, s.O) },
    };
  });
}

describe.each(["f64", "f32"] as Dtype[])("nn_linear (%s)", (dtype) => {
  it.each([
    { B: 3, I: 5, O: 7, bias: true },
    { B: 5, I: 3, O: 1, bias: false },
    { B: 1, I: 9, O: 5, bias: true },
  ])("gradients match central differences ($B x $I -> $O, bias $bias)", (s) => {
    const inputs = {
      x: uniforms(`lx${s.I}`, s.B * s.I),
      w: uniforms(`lw${s.I}`, s.O * s.I),
      b: uniforms(`lb${s.O}`, s.O),
    };
    const g = uniforms(`lg${s.O}`, s.B * s.O);
    const worst = layerGradCheck(dtype, inputs, g, (v) => {
      const r = linear(dtype, s, v.x as Float64Array, v.w as Float64Array, v.b as Float64Array, g);
      return { out: r.out, grads: s.bias ? r.grads : { x: r.grads.x, w: r.grads.w } };
    });
    for (const [name, r] of Object.entries(worst)) {
      expect(r.worst, `d/d${name} at ${r.at}: ${r.analytic} vs ${r.numeric}`).toBeLessThan(fdSettings(dtype).tol);
    }
  });

  const fixture = nnFixture("linear");
  it.each(Object.keys(fixture))("equals torch.nn.functional.linear: %s", (name) => {
    const c = fixture[name] as Record<string, number[] | number>;
    const s = { B: c.B as number, I: c.I as number, O: c.O as number, bias: c.bias === 1 };
    const arr = (k: string) => Float64Array.from((c[k] as number[] | undefined) ?? []);
    const b = s.bias ? arr("b") : new Float64Array(s.O).fill(Number.NaN);
    // gradients start at 0.25: backward must add to them
    const r = linear(dtype, s, arr("x"), arr("w"), b, arr("g"), 0.25);
    const shift = (k: string) => arr(k).map((v) => v + 0.25);
    assertClose(r.out, arr("out"), fixtureTol(dtype, arr("out")), `${name} out`);
    assertClose(r.grads.x, shift("dx"), fixtureTol(dtype, shift("dx")), `${name} dx`);
    assertClose(r.grads.w, shift("dw"), fixtureTol(dtype, shift("dw")), `${name} dw`);
    const db = s.bias ? shift("db") : new Float64Array(s.O).fill(0.25);
    assertClose(r.grads.b, db, fixtureTol(dtype, db), `${name} db`);
  });
});
