// inv_repr's descriptor, parameter layout and workspace layout (see inv-repr.ts).
// Descriptor (i32): [0] dtype (0 f64, 1 f32), [1] dz inputs, [2] h width, [3] p̂_V, [4] p̂_W,
// [5] decoder polynomial degree, [6] E environments, [7] b items per batch (a batch is E b rows,
// grouped by environment), [8] kernel degree (2: (xᵀy + c)²), [9] decoder (0 polynomial, 1 MLP),
// [10] predictor (1: the relatedness head and its loss; 0: neither).
// Parameters, in this order: encoder Linear(dz→h) W, b; LayerNorm gain, bias (h each); Linear(h→h)
// W, b; LayerNorm gain, bias; Linear(h→q) W, b (q = p̂_V + p̂_W); then the decoder, polynomial:
// Linear(F→dz) W, b, F the monomials of the q latents up to the decoder degree, constant included;
// or MLP: Linear(q→h) W, b; Linear(h→h) W, b; Linear(h→dz) W, b; then, with the predictor only,
// Linear(p̂_W→p̂_W) W, b; Linear(p̂_W→1) W, b. Weights out x in row-major (torch.nn.Linear.weight).
// Workspace: a header of HEADER bytes (the nn kernels' descriptors and hyper blocks, then the table
// of buffer addresses, written once per entry call by `setup`), then buffers of T, then f64 scratch
// for the kernel losses and the log-det.

import { at, field } from "../nn/desc";
import { features } from "../nn/kernel-feature";

export const DESC_BYTES: usize = 40;

/** Address of header descriptor k. */
export function descAt(work: usize, k: i32): usize {
  return work + <usize>k * DESC_BYTES;
}
// Header descriptors (index k at k * DESC_BYTES).
export const D_LIN1 = 0;
export const D_LN = 1;
export const D_RELU = 2;
export const D_LIN2 = 3;
export const D_LIN3 = 4;
export const D_POLY = 5;
export const D_DEC = 6;
export const D_MSE = 7;
export const D_MMD = 8;
export const D_HSIC = 9;
export const D_HSIC_E = 10;
export const D_LOGDET = 11;
export const D_ADAMW = 12; // also the clipping kernel's (the same n)
export const D_DEC1 = 13; // MLP decoder Linear(q→h), Linear(h→h), Linear(h→dz)
export const D_DEC2 = 14;
export const D_DEC3 = 15;
export const D_PRED1 = 16; // predictor Linear(p̂_W→p̂_W), tanh, Linear(p̂_W→1), MSE against X
export const D_TANH = 17;
export const D_PRED2 = 18;
export const D_MSE_X = 19;
const DESCS = 20;
// Hyper blocks (f64) after the descriptors: LayerNorm eps, kernel c, log-det eps, then clipping's
// [max norm, norm before clipping].
export const H_LN: usize = <usize>DESCS * DESC_BYTES;
export const H_KERNEL: usize = H_LN + 8;
export const H_LOGDET: usize = H_LN + 16;
export const H_CLIP: usize = H_LN + 24;
export const TABLE: usize = H_LN + 40;
export const HEADER: usize = TABLE + 128;

export function dz(desc: usize): i32 {
  return field(desc, 1);
}
export function width(desc: usize): i32 {
  return field(desc, 2);
}
export function pv(desc: usize): i32 {
  return field(desc, 3);
}
export function pw(desc: usize): i32 {
  return field(desc, 4);
}
export function decDegree(desc: usize): i32 {
  return field(desc, 5);
}
export function envs(desc: usize): i32 {
  return field(desc, 6);
}
export function items(desc: usize): i32 {
  return field(desc, 7);
}
export function kernelDegree(desc: usize): i32 {
  return field(desc, 8);
}
/** Whether the decoder is the MLP (else polynomial). */
export function mlpDecoder(desc: usize): bool {
  return field(desc, 9) == 1;
}
/** Whether the relatedness predictor (and X) is part of the model. */
export function predictor(desc: usize): bool {
  return field(desc, 10) == 1;
}
/** q = p̂_V + p̂_W latents. */
export function latents(desc: usize): i32 {
  return pv(desc) + pw(desc);
}
/** Rows of a batch: E b. */
export function rows(desc: usize): i32 {
  return envs(desc) * items(desc);
}
/** Polynomial decoder features: C(q + degree, degree); 0 with the MLP decoder. */
export function decFeatures(desc: usize): i32 {
  return mlpDecoder(desc) ? 0 : features(latents(desc), decDegree(desc));
}

// Parameter slots (element offsets).
export const P_W1 = 0;
export const P_B1 = 1;
export const P_G1 = 2;
export const P_E1 = 3;
export const P_W2 = 4;
export const P_B2 = 5;
export const P_G2 = 6;
export const P_E2 = 7;
export const P_W3 = 8;
export const P_B3 = 9;
export const P_WD = 10; // polynomial decoder (size 0 with the MLP)
export const P_BD = 11;
export const P_WD1 = 12; // MLP decoder (size 0 with the polynomial)
export const P_BD1 = 13;
export const P_WD2 = 14;
export const P_BD2 = 15;
export const P_WD3 = 16;
export const P_BD3 = 17;
export const P_WP1 = 18; // predictor (size 0 without)
export const P_BP1 = 19;
export const P_WP2 = 20;
export const P_BP2 = 21;
const SLOTS = 22;

function slotSize(desc: usize, k: i32): i32 {
  const h = width(desc);
  const d = dz(desc);
  if (k == P_W1) return h * d;
  if (k == P_W2) return h * h;
  if (k == P_W3) return latents(desc) * h;
  if (k == P_B3) return latents(desc);
  if (k < P_WD) return h;
  if (k == P_WD) return d * decFeatures(desc);
  if (k == P_BD) return mlpDecoder(desc) ? 0 : d;
  if (k < P_WP1) {
    if (!mlpDecoder(desc)) return 0;
    if (k == P_WD1) return h * latents(desc);
    if (k == P_WD2) return h * h;
    if (k == P_WD3) return d * h;
    return k == P_BD3 ? d : h;
  }
  if (!predictor(desc)) return 0;
  const w = pw(desc);
  if (k == P_WP1) return w * w;
  if (k == P_BP1 || k == P_WP2) return w;
  return 1;
}

/** Element offset of parameter slot k (k = SLOTS: the count). */
export function paramOffset(desc: usize, k: i32): i32 {
  let off = 0;
  for (let j = 0; j < k; j++) off += slotSize(desc, j);
  return off;
}

export function paramCount(desc: usize): i32 {
  return paramOffset(desc, SLOTS);
}

/** Byte address of parameter (or gradient) block k in the flat buffer `params` of T. */
export function paramAt<T>(desc: usize, params: usize, k: i32): usize {
  return params + at<T>(paramOffset(desc, k));
}

// Workspace buffers of T, each `rowSize` elements per batch row.
export const ZB = 0; // gathered inputs, B x dz
export const A1 = 1; // Linear 1 output
export const N1 = 2; // ReLU(LayerNorm(A1))
export const C1 = 3; // LayerNorm 1 cache (2 per row)
export const A2 = 4;
export const N2 = 5;
export const C2 = 6;
export const LAT = 7; // B x q latents
export const VH = 8; // B x p̂_V (contiguous copy)
export const WH = 9; // B x p̂_W
export const PF = 10; // B x F decoder features
export const REC = 11; // B x dz reconstruction
export const DREC = 12;
export const DPF = 13;
export const DLAT = 14;
export const DVH = 15;
export const DWH = 16;
export const DN = 17; // B x h: d loss / d ReLU output
export const DL = 18; // B x h: d loss / d LayerNorm output
export const DA = 19; // B x h: d loss / d Linear output
export const PWORK = 20; // F elements per row (polynomial backward needs F in all)
export const H1 = 21; // MLP decoder: B x h after each ReLU
export const H2 = 22;
export const XB = 23; // predictor: B gathered X, B x p̂_W tanh output, B predictions, and their gradients
export const PH = 24;
export const PO = 25;
export const DPO = 26;
export const DPH = 27;
export const DPA = 28;
const BUFFERS = 29;
/** Index of the f64 scratch in the table. */
export const KWORK = BUFFERS;

function rowSize(desc: usize, k: i32): i32 {
  if (k == ZB || k == REC || k == DREC) return dz(desc);
  if (k == C1 || k == C2) return 2;
  if (k == LAT || k == DLAT) return latents(desc);
  if (k == VH || k == DVH) return pv(desc);
  if (k == WH || k == DWH) return pw(desc);
  if (k == PF || k == DPF || k == PWORK) return decFeatures(desc);
  if (k == H1 || k == H2) return mlpDecoder(desc) ? width(desc) : 0;
  if (k >= XB) return !predictor(desc) ? 0 : k == PH || k == DPH || k == DPA ? pw(desc) : 1;
  return width(desc);
}

/** Byte offset of buffer k (k = BUFFERS: the f64 scratch, 8-aligned). */
export function bufferOffset<T>(desc: usize, k: i32): usize {
  let off = 0;
  for (let j = 0; j < k; j++) off += rowSize(desc, j);
  const bytes = HEADER + at<T>(off * rows(desc));
  return k < BUFFERS ? bytes : (bytes + 7) & ~(<usize>7);
}

/** Bytes of f64 scratch: the largest of the feature-form MMD² (b rows) and HSIC (E b rows) works and the log-det's. */
function scratchBytes(desc: usize): usize {
  const n = <f64>rows(desc);
  const p = kernelDegree(desc);
  const fv = <f64>features(pv(desc), p);
  const fw = <f64>features(pw(desc), p);
  const mmd = 8 * ((<f64>pw(desc) + 4) * fw + <f64>pw(desc));
  const hsic =
    8 * ((pv(desc) + 2 + n) * fv + (pw(desc) + 2 + n) * fw + fv * fw + Math.max(fv, fw) + <f64>max(pv(desc), pw(desc)));
  const q = <f64>latents(desc);
  return <usize>Math.max(Math.max(mmd, hsic), 8 * (2 * q * q + q));
}

/** Bytes of the whole workspace. */
export function workBytes<T>(desc: usize): f64 {
  return <f64>(bufferOffset<T>(desc, BUFFERS) + scratchBytes(desc));
}

/** Byte address of buffer k from the table `setup` wrote. */
export function buffer(work: usize, k: i32): usize {
  return load<usize>(work + TABLE + ((<usize>k) << 2));
}

/** Writes the table of buffer addresses. */
export function writeTable<T>(desc: usize, work: usize): void {
  for (let k = 0; k <= BUFFERS; k++) store<usize>(work + TABLE + ((<usize>k) << 2), work + bufferOffset<T>(desc, k));
}

/** x = 0 over n elements of T. */
export function zero<T>(n: i32, x: usize): void {
  for (let i = 0; i < n; i++) store<T>(x + at<T>(i), <T>0);
}
