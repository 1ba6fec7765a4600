import { getCore } from "../src/core/load.js";
import { type InvReprShape, invReprLayout } from "../src/models/inv-repr.js";
import { bestTime, fmtTime } from "./timing.js";

type Call = () => unknown;

/**
 * Where one core training step's time goes: each assembly/nn kernel the step calls, timed alone at
 * the step's shapes (as many calls as the step makes), grouped as encoder Linear, LayerNorm + ReLU,
 * decoder (polynomial features and Linear), L_rec, kernel losses (MMD², HSIC), log-det and AdamW.
 * The rest of `step` (gather, latent split / merge, zeroing, descriptors) is what the groups miss.
 */
export function profileInvRepr(s: InvReprShape, step: number): string {
  const core = getCore();
  const w = core.wasm;
  const n = s.environments * s.items;
  const [dz, h, q, b] = [s.inputs, s.width, s.pv + s.pw, s.items];
  const { features: F, count } = invReprLayout(s);
  return core.scoped(() => {
    const t = s.dtype === "f32" ? 1 : 0;
    const size = t ? 4 : 8;
    const desc = (...f: number[]) => {
      const p = core.alloc(Math.ceil((f.length + 1) / 2));
      new Int32Array(w.memory.buffer, p, f.length + 1).set([t, ...f]);
      return p;
    };
    const buf = (len: number) => {
      const p = core.alloc(Math.ceil((len * size) / 8) + 1);
      const view = t ? new Float32Array(w.memory.buffer, p, len) : new Float64Array(w.memory.buffer, p, len);
      for (let k = 0; k < len; k++) view[k] = 0.3 * Math.sin(1.7 * k + 0.4) + 0.05 * ((k * 7) % 5);
      return p;
    };
    const bytes = (n: number) => core.alloc(Math.ceil(n / 8) + 1);
    const hyper = (...v: number[]) => core.put(v);
    const big = Math.max(n * h, n * F, h * h, dz * F);
    const [x, y, wt, bias, out, g1, g2, g3] = Array.from({ length: 8 }, () => buf(big));
    const lin = (I: number, O: number) => desc(n, I, O, 1);
    const linear = (I: number, O: number, dIn: boolean): Call[] => {
      const d = lin(I, O);
      return [
        () => w.nn_linear_forward(d, x, wt, bias, out),
        () => w.nn_linear_backward(d, x, wt, y, dIn ? g1 : 0, g2, g3),
      ];
    };
    const lnd = desc(n, h, 1);
    const eps = hyper(1e-5);
    const cache = bytes(2 * n * size);
    const relu = desc(n, h, 0);
    w.nn_layernorm_forward(lnd, eps, x, wt, bias, cache, out);
    const pd = desc(n, q, s.decoderDegree, 1);
    const pf = buf(n * F);
    w.nn_polynomial_forward(pd, x, pf);
    const pwork = bytes(F * size);
    const kc = hyper(1, 0, 0);
    const mmd = desc(b, b, s.pw, 0, s.kernelDegree, 0, 0);
    const hsic = desc(n, s.pv, s.pw, 0, s.kernelDegree, 0, 1);
    const hsicE = desc(b, s.pv, s.pw, 0, s.kernelDegree, 0, 1);
    const kwork = bytes(Math.max(w.nn_hsic_feat_work_size(hsic), w.nn_mmd2_feat_work_size(mmd)));
    const ld = desc(b, q);
    const ldh = hyper(1e-6);
    const ldw = bytes(8 * (2 * q * q + q));
    const adamD = desc(count);
    const adamH = hyper(1e-3, 0.9, 0.999, 1e-8, 1e-4, 1);
    const groups: [string, Call[]][] = [
      [
        "encoder Linear (3 forward, 3 backward)",
        [...linear(dz, h, false), ...linear(h, h, true), ...linear(h, q, true)],
      ],
      [
        "LayerNorm + ReLU (2 blocks)",
        repeat(2, [
          () => w.nn_layernorm_forward(lnd, eps, x, wt, bias, cache, out),
          () => w.nn_activation_forward(relu, 0, out, out),
          () => w.nn_activation_backward(relu, 0, out, out, y, g1),
          () => w.nn_layernorm_backward(lnd, x, wt, cache, y, g1, g2, g3),
        ]),
      ],
      [
        `decoder: ${F} monomials + Linear(${F}→${dz})`,
        [
          () => w.nn_polynomial_forward(pd, x, pf),
          ...linear(F, dz, true),
          () => w.nn_polynomial_backward(pd, x, pf, y, g1, pwork),
        ],
      ],
      ["L_rec (MSE)", [() => w.nn_mse_loss(desc(n * dz), out, x, g1, 1)]],
      [
        "kernel losses (1 MMD², 1 + E HSIC)",
        [
          () => w.nn_mmd2_feat_loss(mmd, kc, x, y, g1, g2, kwork, 1),
          () => w.nn_hsic_feat_loss(hsic, kc, x, y, g1, g2, kwork, 1),
          ...repeat(s.environments, [() => w.nn_hsic_feat_loss(hsicE, kc, x, y, g1, g2, kwork, 1)]),
        ],
      ],
      ["log-det (E)", repeat(s.environments, [() => w.nn_logdet_loss(ld, ldh, x, g1, ldw, -0.01)])],
      ["AdamW", [() => w.nn_adamw_step(adamD, adamH, wt, g1, g2, g3)]],
    ];
    let total = 0;
    const lines = groups.map(([name, calls]) => {
      const sec = bestTime(() => {
        for (const c of calls) c();
      });
      total += sec;
      return `    ${name.padEnd(42)} ${fmtTime(sec).padStart(9)}  ${((100 * sec) / step).toFixed(0).padStart(3)}%`;
    });
    const rest = `    ${"rest (gather, split/merge, zeroing)".padEnd(42)} ${fmtTime(step - total).padStart(9)}  ${((100 * (step - total)) / step).toFixed(0).padStart(3)}%`;
    return [`  core ${s.dtype} step ${fmtTime(step)}, by kernel (each timed alone):`, ...lines, rest].join("\n");
  });
}

function repeat(k: number, calls: Call[]): Call[] {
  return Array.from({ length: k }, () => calls).flat();
}
