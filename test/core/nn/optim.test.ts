import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { nnFixture } from "../../helpers/gradcheck.js";
import { type Dtype, fixtureTol, NnBuffers } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

const core = getCore();
const w = core.wasm;

type Kind = "adam" | "adamw" | "amsgrad";

interface Settings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weight_decay: number;
}

/** Runs steps of one optimizer from p0 with the given per-step gradients; returns params after each step and the state. */
function optimize(
  dtype: Dtype,
  kind: Kind,
  simd: boolean,
  s: Settings,
  p0: ArrayLike<number>,
  grads: ArrayLike<number>[],
) {
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const n = p0.length;
    const desc = nb.desc(n);
    // every buffer one element past 16-byte alignment, so the SIMD loop runs on unaligned addresses
    const put = (a: ArrayLike<number>) => nb.put(a, 1);
    const [pp, pg, pm, pv, pvmax] = [p0, ...[0, 0, 0, 0].map(() => new Float64Array(n))].map(put) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const history: number[] = [];
    grads.forEach((g, t) => {
      nb.write(pg, g);
      const hyper = nb.hyper(s.lr, s.beta1, s.beta2, s.eps, s.weight_decay, t + 1);
      const suffix = simd ? "" : "_scalar";
      if (kind === "amsgrad") w[`nn_amsgrad_step${suffix}`](desc, hyper, pp, pg, pm, pv, pvmax);
      else w[`nn_${kind}_step${suffix}`](desc, hyper, pp, pg, pm, pv);
      expect(Array.from(nb.read(pg, n)), "gradients are zeroed").toEqual(new Array(n).fill(0));
      history.push(...nb.read(pp, n));
    });
    return { params: history, m: nb.read(pm, n), v: nb.read(pv, n), vmax: nb.read(pvmax, n) };
  });
}

const LENGTHS = [0, 1, 2, 3, 8, 9];
const stepsOf = (n: number) => [0, 1, 2, 3].map((t) => uniforms(`og${n}.${t}`, n).map((v) => v * (t < 2 ? 3 : 0.1)));

describe.each(["f64", "f32"] as Dtype[])("optimizers (%s)", (dtype) => {
  it.each(LENGTHS.flatMap((n) => (["adam", "adamw", "amsgrad"] as Kind[]).map((kind) => ({ n, kind }))))(
    "$kind: SIMD equals the scalar twin bit for bit (n = $n, weight decay 0.1)",
    ({ n, kind }) => {
      const s = { lr: 0.02, beta1: 0.85, beta2: 0.99, eps: 1e-7, weight_decay: 0.1 };
      const p0 = uniforms(`op${n}`, n);
      const a = optimize(dtype, kind, true, s, p0, stepsOf(n));
      const b = optimize(dtype, kind, false, s, p0, stepsOf(n));
      expect(a).toEqual(b);
    },
  );

  const fixture = nnFixture("optim");
  const steps = Object.keys(fixture).filter((k) => !k.startsWith("clip"));
  it.each(steps)("equals torch.optim over 5 steps: %s", (name) => {
    const c = fixture[name] as Record<string, number[] | number>;
    const arr = (k: string) => Float64Array.from(c[k] as number[]);
    const n = c.n as number;
    const kind: Kind = name.startsWith("adamw") ? "adamw" : name.startsWith("amsgrad") ? "amsgrad" : "adam";
    const all = arr("grads");
    const grads = Array.from({ length: c.steps as number }, (_, t) => all.slice(t * n, (t + 1) * n));
    const s = c as unknown as Settings;
    const r = optimize(dtype, kind, true, s, arr("p0"), grads);
    assertClose(r.params, arr("params"), fixtureTol(dtype, arr("params")), `${name} params after each step`);
    assertClose(r.m, arr("m"), fixtureTol(dtype, arr("m")), `${name} exp_avg`);
    assertClose(r.v, arr("v"), fixtureTol(dtype, arr("v")), `${name} exp_avg_sq`);
    if (kind === "amsgrad") assertClose(r.vmax, arr("vmax"), fixtureTol(dtype, arr("vmax")), `${name} max_exp_avg_sq`);
  });

  it.each(Object.keys(fixture).filter((k) => k.startsWith("clip")))(
    "nn_clip_grad_norm equals torch.nn.utils.clip_grad_norm_: %s",
    (name) => {
      const c = fixture[name] as Record<string, number[] | number>;
      const g = Float64Array.from(c.g as number[]);
      const r = core.scoped(() => {
        const nb = new NnBuffers(core, dtype);
        const hyper = nb.hyper(c.max_norm as number, Number.NaN);
        const pg = nb.put(g);
        w.nn_clip_grad_norm(nb.desc(g.length), hyper, pg);
        return { total: core.view(hyper, 2)[1] as number, clipped: nb.read(pg, g.length) };
      });
      const tol = fixtureTol(dtype, c.clipped as number[]);
      assertClose(r.total, c.total as number, { rtol: tol.rtol }, `${name} total norm`);
      assertClose(r.clipped, c.clipped as number[], tol, `${name} clipped gradients`);
    },
  );
});
