// Element-wise activations on a batch of B rows of F features (any layout: B * F elements).
// Descriptor: desc[0] dtype (0 f64, 1 f32), desc[1] B, desc[2] F, desc[3] kind:
//   0 ReLU       y = max(x, 0)                 dy/dx = 1 where y > 0          (torch.nn.ReLU)
//   1 LeakyReLU  y = x > 0 ? x : slope * x     dy/dx = x > 0 ? 1 : slope      (torch.nn.LeakyReLU)
//   2 Tanh       y = tanh(x)                   dy/dx = 1 - y^2
//   3 Sigmoid    y = 1 / (1 + exp(-x))         dy/dx = y (1 - y)
// Hyper (f64, LeakyReLU only): hyper[0] = negative slope. Forward overwrites out (out may be inp);
// backward adds dOut * dy/dx into dIn and reads inp and out as the forward pass left them.
// tanh and exp are evaluated in f64 for both dtypes (then rounded), so f32 loses nothing there.
// see: torch threshold_backward, leaky_relu_backward, tanh_backward, sigmoid_backward

import { at, field, hyper, isF32 } from "./desc";

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

function forward<T>(desc: usize, h: usize, inp: usize, out: usize): void {
  const n = field(desc, 1) * field(desc, 2);
  const kind = field(desc, 3);
  const slope = kind == LEAKY ? <T>hyper(h, 0) : <T>0;
  for (let i = 0; i < n; i++) store<T>(out + at<T>(i), value<T>(kind, slope, load<T>(inp + at<T>(i))));
}

function backward<T>(desc: usize, h: usize, inp: usize, out: usize, dOut: usize, dIn: usize): void {
  const n = field(desc, 1) * field(desc, 2);
  const kind = field(desc, 3);
  const slope = kind == LEAKY ? <T>hyper(h, 0) : <T>0;
  for (let i = 0; i < n; i++) {
    const o = at<T>(i);
    const d = slopeOf<T>(kind, slope, load<T>(inp + o), load<T>(out + o));
    store<T>(dIn + o, load<T>(dIn + o) + load<T>(dOut + o) * d);
  }
}

/** out = f(inp) element-wise, f the desc[3] kind. */
export function nn_activation_forward(desc: usize, hyper: usize, inp: usize, out: usize): void {
  if (isF32(desc)) forward<f32>(desc, hyper, inp, out);
  else forward<f64>(desc, hyper, inp, out);
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
  if (isF32(desc)) backward<f32>(desc, hyper, inp, out, dOut, dIn);
  else backward<f64>(desc, hyper, inp, out, dOut, dIn);
}
