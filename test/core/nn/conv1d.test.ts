import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { nnFixture } from "../../helpers/gradcheck.js";
import {
  type Dtype,
  expectSkipsInputGradient,
  fdSettings,
  layerGradCheck,
  NnBuffers,
} from "../../helpers/nn-buffers.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/nn/conv1d.ts: Conv1d (valid and same padding) against torch, finite differences and its scalar twin. */
const core = getCore();
const w = core.wasm;

/** shape = [B, C_in, C_out, L, K, padding (0 valid, 1 same)]. */
interface Conv {
  shape: number[];
  x: ArrayLike<number>;
  w: ArrayLike<number>;
  bias: ArrayLike<number>;
  dout?: ArrayLike<number>;
}

function sizes(shape: number[]) {
  const [b, cin, cout, len, k, same] = shape as [number, number, number, number, number, number];
  const lout = same ? len : len - k + 1;
  return { nx: b * cin * len, nw: cout * cin * k, nout: b * cout * lout, cout };
}

/**
 * Forward, then backward of `dout` (zeros if absent) into zeroed gradients; everything as doubles.
 * `off` starts the input, output and input-gradient buffers that many elements past alignment;
 * `noDx` passes din = 0.
 */
function run(dtype: Dtype, c: Conv, simd = true, off = 0, noDx = false) {
  const s = sizes(c.shape);
  return core.scoped(() => {
    const nb = new NnBuffers(core, dtype);
    const desc = nb.desc(...c.shape);
    const [px, pw, pb] = [nb.put(c.x, off), nb.put(c.w, off), nb.put(c.bias, off)];
    const out = nb.put(s.nout, off);
    const dout = nb.put(c.dout ?? s.nout, off);
    const [dx, dw, db] = [nb.put(s.nx, off), nb.put(s.nw), nb.put(s.cout)];
    expect(w.nn_conv1d_out_len(desc) * (c.shape[0] as number) * s.cout).toBe(s.nout);
    (simd ? w.nn_conv1d_forward : w.nn_conv1d_forward_scalar)(desc, px, pw, pb, out);
    (simd ? w.nn_conv1d_backward : w.nn_conv1d_backward_scalar)(desc, px, pw, dout, noDx ? 0 : dx, dw, db);
    return { out: nb.read(out, s.nout), dx: nb.read(dx, s.nx), dw: nb.read(dw, s.nw), db: nb.read(db, s.cout) };
  });
}

const fixture = nnFixture("conv1d");
const caseOf = (f: Record<string, number[] | number>): Conv => ({
  shape: f.shape as number[],
  x: f.x as number[],
  w: f.w as number[],
  bias: f.bias as number[],
  dout: f.dout as number[],
});

describe("nn_conv1d against torch.nn.functional.conv1d", () => {
  for (const [name, f] of Object.entries(fixture)) {
    for (const [dtype, rtol, atol] of [
      ["f64", 1e-10, 1e-13],
      ["f32", 1e-5, 1e-5],
    ] as const) {
      it(`${name} (${dtype}): output, dx, dw and dbias`, () => {
        const r = run(dtype, caseOf(f));
        assertClose(r.out, f.out as number[], { rtol, atol }, `${name} out`);
        assertClose(r.dx, f.dx as number[], { rtol, atol }, `${name} dx`);
        assertClose(r.dw, f.dw as number[], { rtol, atol: atol * 10 }, `${name} dw`);
        assertClose(r.db, f.dbias as number[], { rtol, atol: atol * 10 }, `${name} dbias`);
      });
    }
  }

  it("backward adds to the gradients already in the buffers", () => {
    const c = caseOf(fixture.same_k4_even as Record<string, number[]>);
    const once = run("f64", c);
    const twice = core.scoped(() => {
      const nb = new NnBuffers(core, "f64");
      const desc = nb.desc(...c.shape);
      const s = sizes(c.shape);
      const [px, pw, dout] = [nb.put(c.x), nb.put(c.w), nb.put(c.dout as number[])];
      const [dx, dw, db] = [nb.put(s.nx), nb.put(s.nw), nb.put(s.cout)];
      w.nn_conv1d_backward(desc, px, pw, dout, dx, dw, db);
      w.nn_conv1d_backward(desc, px, pw, dout, dx, dw, db);
      return nb.read(dw, s.nw);
    });
    assertClose(
      twice,
      Array.from(once.dw, (v) => 2 * v),
      { rtol: 1e-14 },
      "dw after two backward calls",
    );
  });
});

describe("nn_conv1d with din = 0", () => {
  for (const dtype of ["f64", "f32"] as const) {
    for (const simd of [true, false]) {
      it(`skips the input gradient: the same dw and db, nothing written at address 0 (${dtype}, SIMD ${simd})`, () => {
        const c = caseOf(fixture.same_k4_even as Record<string, number[]>);
        expectSkipsInputGradient(core, sizes(c.shape).nx * 8, "x", (skip) => {
          const r = run(dtype, c, simd, 0, skip);
          return { x: r.dx, w: r.dw, b: r.db };
        });
      });
    }
  }
});

describe("nn_conv1d gradients by central differences (odd sizes)", () => {
  for (const shape of [
    [3, 3, 5, 9, 3, 0],
    [3, 3, 5, 9, 3, 1],
    [1, 5, 3, 7, 4, 1],
    [3, 1, 1, 5, 5, 0],
  ]) {
    for (const dtype of ["f64", "f32"] as const) {
      it(`shape [B, C_in, C_out, L, K, same] = [${shape}] (${dtype})`, () => {
        const s = sizes(shape);
        const key = shape.join(",");
        const inputs = {
          x: uniforms(`x${key}`, s.nx),
          w: uniforms(`w${key}`, s.nw),
          bias: uniforms(`b${key}`, s.cout),
        };
        const r = uniforms(`r${key}`, s.nout);
        const worst = layerGradCheck(dtype, inputs, r, (v) => {
          const g = run(dtype, {
            shape,
            x: v.x as Float64Array,
            w: v.w as Float64Array,
            bias: v.bias as Float64Array,
            dout: r,
          });
          return { out: g.out, grads: { x: g.dx, w: g.dw, bias: g.db } };
        });
        expect(Object.keys(worst)).toEqual(["x", "w", "bias"]);
        for (const [k, e] of Object.entries(worst)) expect(e.worst, `d/d${k}`).toBeLessThan(fdSettings(dtype).tol);
      });
    }
  }
});

describe("nn_conv1d SIMD and scalar twins agree", () => {
  // Output lengths 0, 1, 2, 3, 8 and 9 (the inner loops run over t), at an odd element offset.
  for (const lout of [0, 1, 2, 3, 8, 9]) {
    for (const dtype of ["f64", "f32"] as const) {
      it(`L_out ${lout} (${dtype})`, () => {
        const shape = [2, 3, 2, lout + 2, 3, 0];
        const s = sizes(shape);
        const c = {
          shape,
          x: uniforms(`tx${lout}`, s.nx),
          w: uniforms(`tw${lout}`, s.nw),
          bias: uniforms(`tb${lout}`, s.cout),
          dout: uniforms(`td${lout}`, s.nout),
        };
        const a = run(dtype, c, true, 1);
        const b = run(dtype, c, false, 1);
        const tol = dtype === "f32" ? { rtol: 1e-5, atol: 1e-5 } : { rtol: 1e-14, atol: 1e-14 };
        for (const k of ["out", "dx", "dw", "db"] as const) assertClose(a[k], b[k], tol, `${k} SIMD vs scalar`);
      });
    }
  }
});
