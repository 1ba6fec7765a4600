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
  F: number;
  affine: boolean;
  eps: number;
}

/** Forward and backward of nn_layernorm with upstream g; gradients start at `pre` (backward must add). */
function layernorm(dtype: Dtype, s: Shape, v: Record<string, Float64Array>, g: ArrayLike<number>, pre = 0) {
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const desc = nb.desc(s.B, s.F, s.affine ? 1 : 0);
    const hyper = nb.hyper(s.eps);
    const n = s.B * s.F;
    const [px, pw, pb, pg] = [v.x, v.w, v.b, g].map((a) => nb.put(a ?? new Float64Array(s.F).fill(Number.NaN))) as [
      number,
      number,
      number,
      number,
    ];
    const cache = nb.put(w.nn_layernorm_cache_size(desc));
    const out = nb.put(n);
    const [dx, dw, db] = [n, s.F, s.F].map((k) => nb.put(new Float64Array(k).fill(pre))) as [number, number, number];
    w.nn_layernorm_forward(desc, hyper, px, pw, pb, cache, out);
    w.nn_layernorm_backward(desc, px, pw, cache, pg, dx, dw, db);
    const grads: Record<string, Float64Array> = { x: nb.read(dx, n) };
    if (s.affine) Object.assign(grads, { w: nb.read(dw, s.F), b: nb.read(db, s.F) });
    else grads.untouched = nb.read(dw, s.F);
    return { out: nb.read(out, n), grads };
  });
}

describe.each(["f64", "f32"] as Dtype[])("nn_layernorm (%s)", (dtype) => {
  it.each([
    { B: 3, F: 7, affine: true, eps: 1e-5 },
    { B: 5, F: 3, affine: false, eps: 1e-3 },
    { B: 1, F: 9, affine: true, eps: 0.1 },
  ])("gradients match central differences ($B x $F, affine $affine)", (s) => {
    const inputs = {
      x: uniforms(`nx${s.F}`, s.B * s.F).map((v) => 2 * v + 0.5),
      w: uniforms(`nw${s.F}`, s.F),
      b: uniforms(`nb${s.F}`, s.F),
    };
    const g = uniforms(`ng${s.F}`, s.B * s.F);
    const worst = layerGradCheck(dtype, inputs, g, (v) => {
      const r = layernorm(dtype, s, v, g);
      const { untouched: _, ...grads } = r.grads;
      return { out: r.out, grads: s.affine ? grads : { x: grads.x as Float64Array } };
    });
    expect(Object.keys(worst)).toEqual(s.affine ? ["x", "w", "b"] : ["x"]);
    for (const [name, r] of Object.entries(worst)) {
      expect(r.worst, `d/d${name} at ${r.at}: ${r.analytic} vs ${r.numeric}`).toBeLessThan(fdSettings(dtype).tol);
    }
  });

  const fixture = nnFixture("layernorm");
  it.each(Object.keys(fixture))("equals torch.nn.LayerNorm: %s", (name) => {
    const c = fixture[name] as Record<string, number[] | number>;
    const arr = (k: string) => Float64Array.from(c[k] as number[]);
    const s = { B: c.B as number, F: c.F as number, affine: c.affine === 1, eps: c.eps as number };
    const v: Record<string, Float64Array> = { x: arr("x") };
    if (s.affine) Object.assign(v, { w: arr("w"), b: arr("b") });
    const r = layernorm(dtype, s, v, arr("g"), 0.25);
    const shift = (k: string) => arr(k).map((x) => x + 0.25);
    assertClose(r.out, arr("out"), fixtureTol(dtype, arr("out")), `${name} out`);
    assertClose(r.grads.x as Float64Array, shift("dx"), fixtureTol(dtype, shift("dx")), `${name} dx`);
    if (s.affine) {
      assertClose(r.grads.w as Float64Array, shift("dw"), fixtureTol(dtype, shift("dw")), `${name} dw`);
      assertClose(r.grads.b as Float64Array, shift("db"), fixtureTol(dtype, shift("db")), `${name} db`);
    } else {
      expect(Array.from(r.grads.untouched as Float64Array)).toEqual(new Array(s.F).fill(0.25));
    }
  });
});
