import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { type Dtype, fixtureTol, NnBuffers } from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

/** The SIMD ReLU (nn/activation.ts) and LayerNorm (nn/layernorm.ts) against their scalar twins. */
const core = getCore();
const w = core.wasm;
const LENGTHS = [0, 1, 2, 3, 8, 9];

/** Values around 0, with exact zeros and a -0, so that the x > 0 masks see every case. */
function signed(label: string, n: number): Float64Array {
  const v = uniforms(label, n).map((u) => 2 * u - 1);
  if (n > 2) v[1] = 0;
  if (n > 3) v[2] = -0;
  return v;
}

/** ReLU forward (out of place and in place) and backward, every buffer one element past 16-byte alignment. */
function relu(dtype: Dtype, simd: boolean, n: number) {
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const desc = nb.desc(1, n, 0);
    const x = signed(`relu x ${n}`, n);
    const [px, pin, out, g, dx] = [x, x, n, signed(`relu g ${n}`, n), uniforms(`relu pre ${n}`, n)].map((a) =>
      nb.put(a, 1),
    ) as [number, number, number, number, number];
    const s = simd ? "" : "_scalar";
    w[`nn_activation_forward${s}`](desc, 0, px, out);
    w[`nn_activation_forward${s}`](desc, 0, pin, pin);
    w[`nn_activation_backward${s}`](desc, 0, px, out, g, dx);
    return [nb.read(out, n), nb.read(pin, n), nb.read(dx, n)];
  });
}

/** LayerNorm forward and backward (B rows of F), buffers one element past alignment; dIn 0 when `noDx`. */
function layernorm(dtype: Dtype, simd: boolean, B: number, F: number, affine: boolean, noDx: boolean) {
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const desc = nb.desc(B, F, affine ? 1 : 0);
    const hyper = nb.hyper(1e-5);
    const n = B * F;
    const tag = `${B}x${F}`;
    const x = uniforms(`ln x ${tag}`, n).map((u, i) => 3 * u + 0.5 * (i % 4));
    const [px, pw, pb, pg] = [x, signed(`ln w ${tag}`, F), signed(`ln b ${tag}`, F), signed(`ln g ${tag}`, n)].map(
      (a) => nb.put(a, 1),
    ) as [number, number, number, number];
    const cache = nb.bytes(w.nn_layernorm_cache_size(desc));
    const [out, dx, dw, db] = [n, n, F, F].map((k) => nb.put(uniforms(`ln pre ${tag} ${k}`, k), 1)) as [
      number,
      number,
      number,
      number,
    ];
    const s = simd ? "" : "_scalar";
    w[`nn_layernorm_forward${s}`](desc, hyper, px, pw, pb, cache, out);
    w[`nn_layernorm_backward${s}`](desc, px, pw, cache, pg, noDx ? 0 : dx, dw, db);
    return [nb.read(out, n), nb.read(dx, n), nb.read(dw, F), nb.read(db, F), nb.read(cache, 2 * B)];
  });
}

describe.each(["f64", "f32"] as Dtype[])("SIMD twins (%s)", (dtype) => {
  it.each(LENGTHS)("ReLU: SIMD equals the scalar twin bit for bit, in place too (n = %i)", (n) => {
    const [out, inPlace, dx] = relu(dtype, true, n);
    expect([out, inPlace, dx]).toEqual(relu(dtype, false, n));
    expect(inPlace).toEqual(out);
    if (n > 3) expect(Object.is(out[2], 0)).toBe(true); // ReLU(-0) is +0 in both
  });

  const shapes = [...LENGTHS.filter((F) => F > 0).map((F) => ({ B: 3, F })), { B: 0, F: 5 }, { B: 2, F: 64 }];
  it.each(shapes.flatMap((s) => [true, false].map((affine) => ({ ...s, affine }))))(
    "LayerNorm: SIMD equals the scalar twin to rounding (B $B, F $F, affine $affine)",
    ({ B, F, affine }) => {
      for (const noDx of [false, true]) {
        const a = layernorm(dtype, true, B, F, affine, noDx);
        const b = layernorm(dtype, false, B, F, affine, noDx);
        for (const [k, name] of ["out", "dx", "dw", "db", "cache"].entries()) {
          const want = b[k] as Float64Array;
          assertClose(a[k] as Float64Array, want, fixtureTol(dtype, want), `${name} (noDx ${noDx})`);
        }
      }
    },
  );
});
