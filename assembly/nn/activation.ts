// Element-wise activations on a batch of B rows of F features (any layout: B * F elements).
// Descriptor: [1] B, [2] F, [3] kind:
//   0 ReLU       y = max(x, 0)                 dy/dx = 1 where y > 0          (torch.nn.ReLU)
//   1 LeakyReLU  y = x > 0 ? x : slope * x     dy/dx = x > 0 ? 1 : slope      (torch.nn.LeakyReLU)
//   2 Tanh       y = tanh(x)                   dy/dx = 1 - y^2
//   3 Sigmoid    y = 1 / (1 + exp(-x))         dy/dx = y (1 - y)
// Hyper (LeakyReLU only): [0] negative slope. out may be inp; backward reads inp and out as the
// forward pass left them. tanh and exp are evaluated in f64 for both dtypes (then rounded).
// ReLU runs in SIMD (f64x2 / f32x4: x AND (x > 0), and dOut times (1 AND (y > 0))), bit for bit the
// scalar loop's values; the `_scalar` twins run every kind through the scalar loop.
// see: torch threshold_backward, leaky_relu_backward, tanh_backward, sigmoid_backward

import { at, field, hyper, isF32, lanes } from "./desc";

const RELU: i32 = 0;
const LEAKY: i32 = 1;
const TANH: i32 = 2;

function value<T>(kind: i32, slope: T, x: T): T {
  if (kind == RELU) return x > <T>0 ? x : <T>0;
  if (kind == LEAKY) return x > <T>0 ? x : slope * x;
  if (kind == TANH) return <T>Math.tanh(<f64>x);
  return <T>(1.0 / (1.0 + Math.exp(-(<f64>x))));
}

function slopeOf<T>(kind: i32, slope: T, x: T, y: T): T {
  if (kind == RELU) return y > <T>0 ? <T>1 : <T>0;
  if (kind == LEAKY) return x > <T>0 ? <T>1 : slope;
  if (kind == TANH) return <T>1 - y * y;
  return y * (<T>1 - y);
}

function forward<T>(desc: usize, h: usize, inp: usize, out: usize, simd: bool): void {
  const n = field(desc, 1) * field(desc, 2);
  const kind = field(desc, 3);
  const slope = kind == LEAKY ? <T>hyper(h, 0) : <T>0;
  let i = 0;
  if (simd && kind == RELU) {
    const L = lanes<T>();
    const zero = v128.splat<T>(<T>0);
    for (; i + L <= n; i += L) {
      const x = v128.load(inp + at<T>(i));
      v128.store(out + at<T>(i), v128.and(x, v128.gt<T>(x, zero)));
    }
  }
  for (; i < n; i++) store<T>(out + at<T>(i), value<T>(kind, slope, load<T>(inp + at<T>(i))));
}

function backward<T>(desc: usize, h: usize, inp: usize, out: usize, dOut: usize, dIn: usize, simd: bool): void {
  const n = field(desc, 1) * field(desc, 2);
  const kind = field(desc, 3);
  const slope = kind == LEAKY ? <T>hyper(h, 0) : <T>0;
  let i = 0;
  if (simd && kind == RELU) {
    const L = lanes<T>();
    const zero = v128.splat<T>(<T>0);
    const one = v128.splat<T>(<T>1);
    for (; i + L <= n; i += L) {
      const o = at<T>(i);
      const d = v128.and(one, v128.gt<T>(v128.load(out + o), zero));
      v128.store(dIn + o, v128.add<T>(v128.load(dIn + o), v128.mul<T>(v128.load(dOut + o), d)));
    }
  }
  for (; i < n; i++) {
    const o = at<T>(i);
    const d = slopeOf<T>(kind, slope, load<T>(inp + o), load<T>(out + o));
    store<T>(dIn + o, load<T>(dIn + o) + load<T>(dOut + o) * d);
  }
}

/** out = f(inp) element-wise, f the desc[3] kind. */
export function nn_activation_forward(desc: usize, hyper: usize, inp: usize, out: usize): void {
  if (isF32(desc)) forward<f32>(desc, hyper, inp, out, true);
  else forward<f64>(desc, hyper, inp, out, true);
}

/** nn_activation_forward without SIMD (the scalar twin). */
export function nn_activation_forward_scalar(desc: usize, hyper: usize, inp: usize, out: usize): void {
  if (isF32(desc)) forward<f32>(desc, hyper, inp, out, false);
  else forward<f64>(desc, hyper, inp, out, false);
}

/** dIn += dOut * f'(inp), f' written through the forward's out where that is cheaper. */
export function nn_activation_backward(
  desc: usize,
  hyper: usize,
  inp: usize,
  out: usize,
  dOut: usize,
  dIn: usize,
): void {
  if (isF32(desc)) backward<f32>(desc, hyper, inp, out, dOut, dIn, true);
  else backward<f64>(desc, hyper, inp, out, dOut, dIn, true);
}

/** nn_activation_backward without SIMD (the scalar twin). */
export function nn_activation_backward_scalar(
  desc: usize,
  hyper: usize,
  inp: usize,
  out: usize,
  dOut: usize,
  dIn: usize,
): void {
  if (isF32(desc)) backward<f32>(desc, hyper, inp, out, dOut, dIn, false);
  else backward<f64>(desc, hyper, inp, out, dOut, dIn, false);
}
