import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/core/load.js";
import { assertClose } from "../../helpers/assert-close.js";
import { gradCheck, nnFixture } from "../../helpers/gradcheck.js";
import { uniforms } from "../../helpers/random.js";

/** assembly/nn/conv1d.ts: Conv1d (valid and same padding) against torch, finite differences and its scalar twin. */
const core = getCore();
const w = core.wasm;
type Dtype = 0 | 1;

/** Local buffer helpers (dtype 0 = f64, 1 = f32); `off` shifts the start by that many elements. */
function view(dt: Dtype, ptr: number, len: number): Float64Array | Float32Array {
  return dt === 1 ? new Float32Array(w.memory.buffer, ptr, len) : new Float64Array(w.memory.buffer, ptr, len);
}
function put(dt: Dtype, values: ArrayLike<number>, off = 0): number {
  const ptr = core.alloc(Math.ceil(((values.length + off + 1) * (dt === 1 ? 4 : 8)) / 8)) + off * (dt === 1 ? 4 : 8);
  view(dt, ptr, values.length).set(values);
  return ptr;
}
function descriptor(fields: number[]): number {
  const ptr = core.alloc(Math.ceil(fields.length / 2));
  new Int32Array(w.memory.buffer, ptr, fields.length).set(fields);
  return ptr;
}

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

/** Forward, then backward of `dout` (zeros if absent) into zeroed gradients; everything as doubles. */
function run(dt: Dtype, c: Conv, simd = true, off = 0) {
  const s = sizes(c.shape);
  return core.scoped(() => {
    const desc = descriptor([dt, ...c.shape]);
    const [px, pw, pb] = [put(dt, c.x, off), put(dt, c.w, off), put(dt, c.bias, off)];
    const out = put(dt, new Float64Array(s.nout), off);
    const dout = put(dt, c.dout ?? new Float64Array(s.nout), off);
    const [dx, dw, db] = [
      put(dt, new Float64Array(s.nx), off),
      put(dt, new Float64Array(s.nw)),
      put(dt, new Float64Array(s.cout)),
    ];
    expect(w.nn_conv1d_out_len(desc) * (c.shape[0] as number) * s.cout).toBe(s.nout);
    (simd ? w.nn_conv1d_forward : w.nn_conv1d_forward_scalar)(desc, px, pw, pb, out);
    (simd ? w.nn_conv1d_backward : w.nn_conv1d_backward_scalar)(desc, px, pw, dout, dx, dw, db);
    const read = (p: number, n: number) => Float64Array.from(view(dt, p, n));
    return { out: read(out, s.nout), dx: read(dx, s.nx), dw: read(dw, s.nw), db: read(db, s.cout) };
  });
}

const fixture = nnFixture("conv1d");

describe("nn_conv1d against torch.nn.functional.conv1d", () => {
  for (const [name, f] of Object.entries(fixture)) {
    const c = {
      shape: f.shape as number[],
      x: f.x as number[],
      w: f.w as number[],
      bias: f.bias as number[],
      dout: f.dout as number[],
    };
    for (const [dt, rtol, atol] of [
      [0, 1e-10, 1e-13],
      [1, 1e-5, 1e-5],
    ] as const) {
      it(`${name} (${dt ? "f32" : "f64"}): output, dx, dw and dbias`, () => {
        const r = run(dt, c);
        assertClose(r.out, f.out as number[], { rtol, atol }, `${name} out`);
        assertClose(r.dx, f.dx as number[], { rtol, atol }, `${name} dx`);
        assertClose(r.dw, f.dw as number[], { rtol, atol: atol * 10 }, `${name} dw`);
        assertClose(r.db, f.dbias as number[], { rtol, atol: atol * 10 }, `${name} dbias`);
      });
    }
  }

  it("backward adds to the gradients already in the buffers", () => {
    const f = fixture.same_k4_even as Record<string, number[]>;
    const c = {
      shape: f.shape as number[],
      x: f.x as number[],
      w: f.w as number[],
      bias: f.bias as number[],
      dout: f.dout as number[],
    };
    const once = run(0, c);
    const twice = core.scoped(() => {
      const desc = descriptor([0, ...c.shape]);
      const s = sizes(c.shape);
      const [px, pw, dout] = [put(0, c.x), put(0, c.w), put(0, c.dout)];
      const [dx, dw, db] = [
        put(0, new Float64Array(s.nx)),
        put(0, new Float64Array(s.nw)),
        put(0, new Float64Array(s.cout)),
      ];
      w.nn_conv1d_backward(desc, px, pw, dout, dx, dw, db);
      w.nn_conv1d_backward(desc, px, pw, dout, dx, dw, db);
      return Float64Array.from(view(0, dw, s.nw));
    });
    assertClose(
      twice,
      Array.from(once.dw, (v) => 2 * v),
      { rtol: 1e-14 },
      "dw after two backward calls",
    );
  });
});

describe("nn_conv1d gradients by central differences (odd sizes)", () => {
  for (const shape of [
    [3, 3, 5, 9, 3, 0],
    [3, 3, 5, 9, 3, 1],
    [1, 5, 3, 7, 4, 1],
    [3, 1, 1, 5, 5, 0],
  ]) {
    for (const dt of [0, 1] as const) {
      it(`shape [B, C_in, C_out, L, K, same] = [${shape}] (${dt ? "f32" : "f64"})`, () => {
        const s = sizes(shape);
        const key = shape.join(",");
        const c = {
          shape,
          x: uniforms(`x${key}`, s.nx),
          w: uniforms(`w${key}`, s.nw),
          bias: uniforms(`b${key}`, s.cout),
        };
        const r = uniforms(`r${key}`, s.nout);
        const loss = (cc: Conv) => run(dt, cc).out.reduce((acc, v, i) => acc + v * (r[i] as number), 0);
        const g = run(dt, { ...c, dout: r });
        const [h, tol] = dt === 1 ? [1e-2, 1e-3] : [1e-6, 1e-6];
        const x = Float64Array.from(c.x);
        const wt = Float64Array.from(c.w);
        const b = Float64Array.from(c.bias);
        expect(gradCheck((v) => loss({ ...c, x: v }), x, g.dx, h).worst).toBeLessThan(tol);
        expect(gradCheck((v) => loss({ ...c, w: v }), wt, g.dw, h).worst).toBeLessThan(tol);
        expect(gradCheck((v) => loss({ ...c, bias: v }), b, g.db, h).worst).toBeLessThan(tol);
      });
    }
  }
});

describe("nn_conv1d SIMD and scalar twins agree", () => {
  // Output lengths 0, 1, 2, 3, 8 and 9 (the inner loops run over t), at an odd element offset.
  for (const lout of [0, 1, 2, 3, 8, 9]) {
    for (const dt of [0, 1] as const) {
      it(`L_out ${lout} (${dt ? "f32" : "f64"})`, () => {
        const shape = [2, 3, 2, lout + 2, 3, 0];
        const s = sizes(shape);
        const c = {
          shape,
          x: uniforms(`tx${lout}`, s.nx),
          w: uniforms(`tw${lout}`, s.nw),
          bias: uniforms(`tb${lout}`, s.cout),
          dout: uniforms(`td${lout}`, s.nout),
        };
        const a = run(dt, c, true, 1);
        const b = run(dt, c, false, 1);
        const tol = dt === 1 ? { rtol: 1e-5, atol: 1e-5 } : { rtol: 1e-14, atol: 1e-14 };
        for (const k of ["out", "dx", "dw", "db"] as const) assertClose(a[k], b[k], tol, `${k} SIMD vs scalar`);
      });
    }
  }
});
