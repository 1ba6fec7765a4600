// The Deep MR CNN's descriptor, parameter layout, running-statistics layout and workspace layout
// (see deep-cnn.ts).
// Descriptor (i32): [0] dtype (0 f64, 1 f32), [1] L sequence length, [2] F filters per convolution,
// [3] K kernel width, [4] NL convolution layers, [5] D1 and [6] D2 the hidden dense widths, [7] O
// outputs, [8] B rows per batch (the workspace's capacity; a call may use fewer), [9] 1 when the
// network has dropout layers (after every ReLU; deep-cnn-dropout.ts), else 0.
// Convolution j (0-based) has C_j inputs (C_0 = 4 bases, else F) and L_{j+1} = L − (j + 1)(K − 1)
// output positions; the flatten has F·L_NL features, channel-major (c·L_NL + l).
// Parameters, in this order: per convolution j: weight (F, C_j, K), bias (F), BatchNorm γ (F), β (F);
// then Linear(F·L_NL → D1) W, b; Linear(D1 → D2) W, b; Linear(D2 → O) W, b (W out x in row-major, as
// torch.nn.Linear.weight): exactly `torch.nn.Module.parameters()` order for the Sequential of §4.
// Running statistics (a separate buffer of T, "state"): per convolution j its running mean (F) then
// running variance (F).
// Workspace: a header of HEADER bytes (nn descriptors and hyper blocks, then the buffer table, written
// by `setup` per call), then buffers of T sized for B rows.

import { at, field } from "../nn/desc";
import { convScratch } from "./deep-cnn-conv-layer";
import { BASES, inputScratch } from "./deep-cnn-input";

export const DESC_BYTES: usize = 40;
/** Most convolution layers a descriptor may ask for (the header holds this many descriptor sets). */
export const MAX_CONV: i32 = 8;

export function seqLen(desc: usize): i32 {
  return field(desc, 1);
}
export function filters(desc: usize): i32 {
  return field(desc, 2);
}
export function kernel(desc: usize): i32 {
  return field(desc, 3);
}
export function convLayers(desc: usize): i32 {
  return field(desc, 4);
}
export function dense1(desc: usize): i32 {
  return field(desc, 5);
}
export function dense2(desc: usize): i32 {
  return field(desc, 6);
}
export function outputs(desc: usize): i32 {
  return field(desc, 7);
}
export function batchRows(desc: usize): i32 {
  return field(desc, 8);
}
export function hasDropout(desc: usize): bool {
  return field(desc, 9) != 0;
}
/** Input channels of convolution j. */
export function convIn(desc: usize, j: i32): i32 {
  return j == 0 ? BASES : filters(desc);
}
/** Output length of convolution j (its input length is convLen(j − 1), L for j = 0). */
export function convLen(desc: usize, j: i32): i32 {
  return seqLen(desc) - (j + 1) * (kernel(desc) - 1);
}
/** Features after the flatten: F·L_NL. */
export function flat(desc: usize): i32 {
  return filters(desc) * convLen(desc, convLayers(desc) - 1);
}

/** Parameters of convolution block j: weight, bias, γ, β. */
function convBlock(desc: usize, j: i32): i32 {
  const F = filters(desc);
  return F * convIn(desc, j) * kernel(desc) + 3 * F;
}

/** Element offset of convolution j's weight (j = NL: of the first Linear's weight). */
export function convOffset(desc: usize, j: i32): i32 {
  let off = 0;
  for (let i = 0; i < j; i++) off += convBlock(desc, i);
  return off;
}
/** Element offsets within convolution j's block. */
export function convBias(desc: usize, j: i32): i32 {
  return convOffset(desc, j) + filters(desc) * convIn(desc, j) * kernel(desc);
}
export function bnGamma(desc: usize, j: i32): i32 {
  return convBias(desc, j) + filters(desc);
}
export function bnBeta(desc: usize, j: i32): i32 {
  return bnGamma(desc, j) + filters(desc);
}

/** Element offsets of the dense layers' weights and biases (k = 0, 1, 2). */
export function denseW(desc: usize, k: i32): i32 {
  const d1 = dense1(desc);
  const d2 = dense2(desc);
  const base = convOffset(desc, convLayers(desc));
  if (k == 0) return base;
  const l2 = base + d1 * flat(desc) + d1;
  return k == 1 ? l2 : l2 + d2 * d1 + d2;
}
export function denseB(desc: usize, k: i32): i32 {
  return denseW(desc, k) + denseOut(desc, k) * denseIn(desc, k);
}
export function denseIn(desc: usize, k: i32): i32 {
  return k == 0 ? flat(desc) : k == 1 ? dense1(desc) : dense2(desc);
}
export function denseOut(desc: usize, k: i32): i32 {
  return k == 0 ? dense1(desc) : k == 1 ? dense2(desc) : outputs(desc);
}

export function paramCount(desc: usize): i32 {
  return denseB(desc, 2) + outputs(desc);
}
/** Running statistics: a mean and a variance per filter per convolution. */
export function stateCount(desc: usize): i32 {
  return 2 * filters(desc) * convLayers(desc);
}

// Header: per convolution j three nn descriptors (conv, batchnorm, relu over its output), then the
// dense layers' (three Linear, two ReLU), the MSE's and AMSGrad's, the dropout layers' (one per
// convolution, two dense); then the BatchNorm hyper block (eps, momentum), the dropout hyper block
// (p), the SIMD and dropout-mode flags and the buffer table.
export function dConv(work: usize, j: i32): usize {
  return work + <usize>(3 * j) * DESC_BYTES;
}
export function dBn(work: usize, j: i32): usize {
  return work + <usize>(3 * j + 1) * DESC_BYTES;
}
export function dRelu(work: usize, j: i32): usize {
  return work + <usize>(3 * j + 2) * DESC_BYTES;
}
const D_DENSE = 3 * MAX_CONV;
/** Descriptor of Linear k (k = 0, 1, 2). */
export function dLin(work: usize, k: i32): usize {
  return work + <usize>(D_DENSE + k) * DESC_BYTES;
}
/** Descriptor of the ReLU after Linear k (k = 0, 1). */
export function dDenseRelu(work: usize, k: i32): usize {
  return work + <usize>(D_DENSE + 3 + k) * DESC_BYTES;
}
export function dMse(work: usize): usize {
  return work + <usize>(D_DENSE + 5) * DESC_BYTES;
}
export function dAdam(work: usize): usize {
  return work + <usize>(D_DENSE + 6) * DESC_BYTES;
}
const D_DROP = D_DENSE + 7;
/** Descriptor of the dropout after convolution j's ReLU. */
export function dDropConv(work: usize, j: i32): usize {
  return work + <usize>(D_DROP + j) * DESC_BYTES;
}
/** Descriptor of the dropout after dense ReLU k (k = 0, 1). */
export function dDropDense(work: usize, k: i32): usize {
  return work + <usize>(D_DROP + MAX_CONV + k) * DESC_BYTES;
}
const DESCS = D_DROP + MAX_CONV + 2;
export const H_BN: usize = <usize>DESCS * DESC_BYTES;
/** The dropout layers' hyper block: [0] p. */
export const H_DROP: usize = H_BN + 16;
/** i32 flag: 1 runs this model's own kernels with SIMD, 0 their scalar twins (set per call by `setup`). */
export const SIMD_FLAG: usize = H_BN + 24;
/** i32 dropout mode of the call (set by `setup`): DROP_OFF, DROP_ROWS (a mask per row), DROP_SHARED. */
export const DROP_FLAG: usize = H_BN + 28;
export const DROP_OFF: i32 = 0;
export const DROP_ROWS: i32 = 1;
export const DROP_SHARED: i32 = 2;
const TABLE: usize = H_BN + 32;

// Workspace buffers (T), sizes per batch row. Per convolution j: Z_j its output (BatchNorm's input)
// and A_j = ReLU(BatchNorm(Z_j)) (F L_{j+1} each) and the BatchNorm cache (2F for the batch, counted
// per row for simplicity); then the dense activations, the outputs, the gathered targets and the
// gradients (dA and dZ: the largest activation; the dense ones); last, with dropout, the masks of
// the dropout layers (per convolution F L_{j+1}, then D1 and D2; empty without dropout).
export const H1 = 0;
export const H2 = 1;
export const OUT = 2;
export const YB = 3;
export const DOUT = 4;
export const DH2 = 5;
export const DH1 = 6;
export const DA = 7; // d loss / d A_j (the flatten's gradient for the last j)
export const DZ = 8; // d loss / d Z_j (and, first, d loss / d BatchNorm output)
export const DN = 9;
const FIXED = 10;
/** Buffer index of Z_j, A_j and the BatchNorm cache of convolution j. */
export function bufZ(j: i32): i32 {
  return FIXED + 3 * j;
}
export function bufA(j: i32): i32 {
  return FIXED + 3 * j + 1;
}
export function bufCache(j: i32): i32 {
  return FIXED + 3 * j + 2;
}

/** Buffer index of dropout layer q's mask: q < NL after convolution q, NL and NL + 1 after the dense ReLUs. */
export function bufMask(desc: usize, q: i32): i32 {
  return FIXED + 3 * convLayers(desc) + q;
}
/** Features per row of dropout layer q (its mask's size per row). */
export function dropFeatures(desc: usize, q: i32): i32 {
  const NL = convLayers(desc);
  if (q < NL) return filters(desc) * convLen(desc, q);
  return q == NL ? dense1(desc) : dense2(desc);
}
/** Dropout layers: one per convolution and two dense. */
export function dropLayers(desc: usize): i32 {
  return convLayers(desc) + 2;
}

function rowSize(desc: usize, k: i32): i32 {
  const masks = FIXED + 3 * convLayers(desc);
  if (k >= masks) return hasDropout(desc) ? dropFeatures(desc, k - masks) : 0;
  if (k == H1 || k == DH1) return dense1(desc);
  if (k == H2 || k == DH2) return dense2(desc);
  if (k == OUT || k == YB || k == DOUT) return outputs(desc);
  if (k == DA || k == DZ || k == DN) return filters(desc) * convLen(desc, 0);
  const j = (k - FIXED) / 3;
  if ((k - FIXED) % 3 == 2) return 0;
  return filters(desc) * convLen(desc, j);
}

function buffers(desc: usize): i32 {
  return FIXED + 4 * convLayers(desc) + 2;
}

function isCache(desc: usize, k: i32): bool {
  return k >= FIXED && k < FIXED + 3 * convLayers(desc) && (k - FIXED) % 3 == 2;
}

/** Elements of all the per-row buffers. */
function rowElements(desc: usize): i32 {
  let off = 0;
  for (let k = 0; k < buffers(desc); k++) off += rowSize(desc, k);
  return off * batchRows(desc);
}

/** Byte offset of buffer k (k = buffers: the end); the caches (2F elements each) follow the row buffers. */
function bufferOffset<T>(desc: usize, k: i32): usize {
  let off = 0;
  if (k == buffers(desc)) off = rowElements(desc) + 2 * filters(desc) * convLayers(desc);
  else if (isCache(desc, k)) off = rowElements(desc) + 2 * filters(desc) * ((k - FIXED) / 3);
  else for (let j = 0; j < k; j++) off += rowSize(desc, j) * batchRows(desc);
  return ((TABLE + 4 * <usize>buffers(desc) + 15) & ~(<usize>15)) + at<T>(off);
}

/** Bytes of the scratch after the buffers: the inner convolutions' backward (deep-cnn-conv-layer.ts) and the input convolution's tables. */
function scratchBytes(desc: usize): usize {
  const F = filters(desc);
  const K = kernel(desc);
  return convScratch(F, F, seqLen(desc), K) + inputScratch(F, K, seqLen(desc)) + 16;
}

/** Byte address of the input convolution's scratch (after the inner convolutions'). */
export function inputScratchAt<T>(desc: usize, work: usize): usize {
  const F = filters(desc);
  return scratch<T>(desc, work) + ((convScratch(F, F, seqLen(desc), kernel(desc)) + 15) & ~(<usize>15));
}

/** Whether this call runs the SIMD kernels. */
export function simd(work: usize): bool {
  return load<i32>(work + SIMD_FLAG) != 0;
}

/** Byte address of the scratch (16-aligned when work is). */
export function scratch<T>(desc: usize, work: usize): usize {
  return (work + bufferOffset<T>(desc, buffers(desc)) + 15) & ~(<usize>15);
}

/** Bytes of the whole workspace. */
export function workBytes<T>(desc: usize): f64 {
  return <f64>(bufferOffset<T>(desc, buffers(desc)) + 16 + scratchBytes(desc));
}

/** Byte address of buffer k from the table `writeTable` wrote. */
export function buffer(work: usize, k: i32): usize {
  return load<usize>(work + TABLE + ((<usize>k) << 2));
}

/** Writes the table of buffer addresses. */
export function writeTable<T>(desc: usize, work: usize): void {
  const n = buffers(desc);
  for (let k = 0; k < n; k++) store<usize>(work + TABLE + ((<usize>k) << 2), work + bufferOffset<T>(desc, k));
}

/** x = 0 over n elements of T. */
export function zero<T>(n: i32, x: usize): void {
  // the gradient buffers are large (n F L per layer): one bulk fill beats an element loop
  memory.fill(x, 0, at<T>(n));
}
