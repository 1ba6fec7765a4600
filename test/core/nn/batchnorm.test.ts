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
  C: number;
  L: number;
  train: boolean;
  affine: boolean;
  eps: number;
  momentum: number;
}

/** Forward and backward of nn_batchnorm; returns out, running statistics after, and gradients (started at `pre`). */
function batchnorm(dtype: Dtype, s: Shape, v: Record<string, Float64Array>, g: ArrayLike<number>, pre = 0) {
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const desc = nb.desc(s.B, s.C, s.L, s.train ? 1 : 0, s.affine ? 1 : 0);
    const hyper = nb.hyper(s.eps, s.momentum);
    const n = s.B * s.C * s.L;
    const nan = new Float64Array(s.C).fill(Number.NaN);
    const [px, pw, pb, prm, prv, pg] = [v.x, v.w ?? nan, v.b ?? nan, v.rm, v.rv, g].map((a) =>
      nb.put(a as ArrayLike<number>),
    ) as number[] as [number, number, number, number, number, number];
    const cache = nb.put(w.nn_batchnorm_cache_size(desc));
    const out = nb.put(n);
    const [dx, dw, db] = [n, s.C, s.C].map((k) => nb.put(new Float64Array(k).fill(pre))) as [number, number, number];
    w.nn_batchnorm_forward(desc, hyper, px, pw, pb, prm, prv, cache, out);
    w.nn_batchnorm_backward(desc, px, pw, cache, pg, dx, dw, db);
    return {
      out: nb.read(out, n),
      rm: nb.read(prm, s.C),
      rv: nb.read(prv, s.C),
      grads: { x: nb.read(dx, n), w: nb.read(dw, s.C), b: nb.read(db, s.C) },
    };
  });
}

const SHAPES: Shape[] = [
  { B: 5, C: 3, L: 1, train: true, affine: true, eps: 1e-5, momentum: 0.1 },
  { B: 3, C: 5, L: 7, train: true, affine: true, eps: 1e-5, momentum: 0.1 },
  { B: 3, C: 1, L: 5, train: true, affine: false, eps: 1e-3, momentum: 0.1 },
  { B: 3, C: 5, L: 3, train: false, affine: true, eps: 1e-5, momentum: 0.1 },
];

describe.each(["f64", "f32"] as Dtype[])("nn_batchnorm (%s)", (dtype) => {
  it.each(SHAPES)("gradients match central differences ($B x $C x $L, train $train, affine $affine)", (s) => {
    const n = s.B * s.C * s.L;
    const inputs = {
      x: uniforms(`bx${n}`, n).map((v) => 2 * v + 0.5),
      w: uniforms(`bw${s.C}`, s.C),
      b: uniforms(`bb${s.C}`, s.C),
    };
    const stats = { rm: uniforms(`brm${s.C}`, s.C), rv: uniforms(`brv${s.C}`, s.C).map((v) => v + 1.5) };
    const g = uniforms(`bg${n}`, n);
    const worst = layerGradCheck(dtype, inputs, g, (v) => {
      const r = batchnorm(dtype, s, { ...v, ...stats }, g);
      return { out: r.out, grads: s.affine ? r.grads : { x: r.grads.x } };
    });
    for (const [name, r] of Object.entries(worst)) {
      expect(r.worst, `d/d${name} at ${r.at}: ${r.analytic} vs ${r.numeric}`).toBeLessThan(fdSettings(dtype).tol);
    }
  });

  const fixture = nnFixture("batchnorm");
  it.each(Object.keys(fixture))("equals torch.nn.BatchNorm1d: %s", (name) => {
    const c = fixture[name] as Record<string, number[] | number>;
    const arr = (k: string) => Float64Array.from(c[k] as number[]);
    const num = (k: string) => c[k] as number;
    const s = {
      B: num("B"),
      C: num("C"),
      L: num("L"),
      train: num("train") === 1,
      affine: num("affine") === 1,
      eps: num("eps"),
      momentum: num("momentum"),
    };
    const v: Record<string, Float64Array> = { x: arr("x"), rm: arr("rm0"), rv: arr("rv0") };
    if (s.affine) Object.assign(v, { w: arr("w"), b: arr("b") });
    const r = batchnorm(dtype, s, v, arr("g"), 0.25);
    const shift = (k: string) => arr(k).map((x) => x + 0.25);
    for (const k of ["out", "rm", "rv"] as const) assertClose(r[k], arr(k), fixtureTol(dtype, arr(k)), `${name} ${k}`);
    assertClose(r.grads.x, shift("dx"), fixtureTol(dtype, shift("dx")), `${name} dx`);
    const dw = s.affine ? shift("dw") : new Float64Array(s.C).fill(0.25);
    const db = s.affine ? shift("db") : new Float64Array(s.C).fill(0.25);
    assertClose(r.grads.w, dw, fixtureTol(dtype, dw), `${name} dw`);
    assertClose(r.grads.b, db, fixtureTol(dtype, db), `${name} db`);
  });
});
