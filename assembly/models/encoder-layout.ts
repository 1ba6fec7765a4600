// The context encoder's descriptor, parameter layout and workspace layout (see encoder.ts).
// Descriptor (i32): [0] dtype (0 f64, 1 f32), [1] P context inputs, [2] width, [3] hidden ReLU
// layers, [4] K covariates of the varying-coefficient head, [5] archetypes K' (0: naive), [6] B the
// batch capacity (minibatch size; predict and mse run in chunks of B), [7] 1 = SIMD kernels,
// 0 = their scalar twins.
// Parameters, in this order: per Linear layer l (hidden ones, then the output one) W (out x in,
// row-major, like torch.nn.Linear.weight) then b (out); then, with archetypes, A (K' x (K + 1),
// row k = archetype k = (theta_1 ... theta_K, mu)). The last Linear has K + 1 outputs (naive:
// theta_1 ... theta_K, mu) or K' (archetype weights z).
// Workspace: a header of 128 bytes (the descriptors handed to nn kernels at 0, the table of buffer
// addresses at TABLE, both written once per entry call by encoder.ts's `setup`), then buffers of T.

import { at, field } from "../nn/desc";

/** Byte offset of the buffer-address table in the workspace header, and the header's size. */
export const TABLE: usize = 64;
export const HEADER: usize = 128;

export function inputs(desc: usize): i32 {
  return field(desc, 1);
}
export function width(desc: usize): i32 {
  return field(desc, 2);
}
export function hidden(desc: usize): i32 {
  return field(desc, 3);
}
export function covariates(desc: usize): i32 {
  return field(desc, 4);
}
export function archetypes(desc: usize): i32 {
  return field(desc, 5);
}
export function capacity(desc: usize): i32 {
  return field(desc, 6);
}
export function simd(desc: usize): bool {
  return field(desc, 7) != 0;
}

/** Outputs of the last Linear layer: K' archetype weights, or (theta_1 ... theta_K, mu). */
export function outputs(desc: usize): i32 {
  return archetypes(desc) > 0 ? archetypes(desc) : covariates(desc) + 1;
}

/** Inputs of Linear layer l (0 ... hidden). */
export function inOf(desc: usize, l: i32): i32 {
  return l == 0 ? inputs(desc) : width(desc);
}

/** Outputs of Linear layer l (0 ... hidden). */
export function outOf(desc: usize, l: i32): i32 {
  return l == hidden(desc) ? outputs(desc) : width(desc);
}

/** Element offset of layer l's weight in the parameters (l = hidden + 1: the archetypes). */
export function weightOffset(desc: usize, l: i32): i32 {
  let off = 0;
  for (let j = 0; j < l; j++) off += outOf(desc, j) * inOf(desc, j) + outOf(desc, j);
  return off;
}

/** Number of parameters, archetypes included. */
export function paramCount(desc: usize): i32 {
  return weightOffset(desc, hidden(desc) + 1) + archetypes(desc) * (covariates(desc) + 1);
}

// Workspace buffers, in order, each sized for B rows.
export const XIN = 0; // B x P gathered context
export const XB = 1; // B x K gathered covariates
export const YB = 2; // B outcomes
export const ACT = 3; // hidden x (B x width) activations after ReLU
export const OUT = 4; // B x outputs: the last Linear's output
export const H = 5; // B x (K + 1): the head's input (naive: OUT itself)
export const PRED = 6; // B predictions
export const DY = 7; // B: d loss / d prediction
export const DOUT = 8; // B x outputs
export const DACT = 9; // hidden x (B x width): d loss / d activation
export const DPRE = 10; // B x width: d loss / d pre-activation of one layer
export const BUFFERS = 11;

/** Elements of one row of buffer k. */
function rowSize(desc: usize, k: i32): i32 {
  if (k == XIN) return inputs(desc);
  if (k == XB) return covariates(desc);
  if (k == ACT || k == DACT) return hidden(desc) * width(desc);
  if (k == OUT || k == DOUT) return outputs(desc);
  if (k == H) return covariates(desc) + 1;
  if (k == DPRE) return width(desc);
  return 1;
}

/** Byte offset of buffer k in a workspace of T. */
export function bufferOffset<T>(desc: usize, k: i32): usize {
  let off = 0;
  for (let j = 0; j < k; j++) off += rowSize(desc, j);
  return HEADER + at<T>(off * capacity(desc));
}

/** Byte address of buffer k, from the table `setup` wrote (computed once per call, read every step). */
export function buffer(work: usize, k: i32): usize {
  return load<usize>(work + TABLE + ((<usize>k) << 2));
}

/** Elements of T the workspace needs (header included). */
export function workSize<T>(desc: usize): i32 {
  return <i32>((bufferOffset<T>(desc, BUFFERS) + sizeof<T>() - 1) / sizeof<T>());
}

// Plain loops rather than memory.fill / memory.copy: the buffers are a few dozen elements, and the
// bulk-memory instructions cost a call into the engine each.

/** x = 0 over n elements of T. */
export function zero<T>(n: i32, x: usize): void {
  for (let i = 0; i < n; i++) store<T>(x + at<T>(i), <T>0);
}

/** to = from over n elements of T. */
export function copy<T>(n: i32, from: usize, to: usize): void {
  for (let i = 0; i < n; i++) store<T>(to + at<T>(i), load<T>(from + at<T>(i)));
}
