// The Deep MR CNN (deep-mr §4), composed from assembly/nn layers on a batch of n ≤ B sequences:
//   base codes → NL × [Conv1d(K, F filters, valid, bias) → BatchNorm1d → ReLU] → flatten
//   channel-major → Linear(F·L_NL → D1) → ReLU → Linear(D1 → D2) → ReLU → Linear(D2 → O);
//   loss = MSE over the n × O outputs (torch's reduction="mean").
// The first convolution is a gather of filter columns (deep-cnn-input.ts). BatchNorm runs in train
// mode (the batch's statistics, biased variance; running statistics updated with momentum, unbiased
// variance, as torch) or eval mode (running statistics). With dropout (desc[9], mc_dropout) each
// ReLU's output is multiplied by its mask / (1 − p) in place when the call's mode asks for it
// (deep-cnn-dropout.ts draws the masks); backward scales the incoming gradient by the same factor
// before the ReLU's backward, which may read the dropped output (zero exactly where the mask is, and
// positive where the ReLU's output was). Backward ADDS into the parameter gradients (the caller
// zeroes them). Layouts: deep-cnn-layout.ts.
// see: deep-mr §4, §5.1; inv-repr.ts for the composition pattern; llm.c train_gpt2.c

import { nn_activation_backward, nn_activation_forward } from "../nn/activation";
import { nn_batchnorm_backward, nn_batchnorm_forward } from "../nn/batchnorm";
import { at, isF32 } from "../nn/desc";
import { nn_dropout_forward } from "../nn/dropout";
import { nn_linear_backward, nn_linear_forward } from "../nn/linear";
import { nn_mse_loss } from "../nn/loss";
import { convBackward, convForward } from "./deep-cnn-conv-layer";
import { drawMasks } from "./deep-cnn-dropout";
import { inputConvBackward, inputConvForward } from "./deep-cnn-input";
import * as L from "./deep-cnn-layout";

function put(p: usize, dtype: i32, a: i32, b: i32, c: i32, d: i32, e: i32, f: i32): void {
  store<i32>(p, dtype);
  store<i32>(p, a, 4);
  store<i32>(p, b, 8);
  store<i32>(p, c, 12);
  store<i32>(p, d, 16);
  store<i32>(p, e, 20);
  store<i32>(p, f, 24);
}

/**
 * Writes the nn kernels' descriptors for n rows with BatchNorm in train (batch statistics) or eval
 * mode, the BatchNorm hyper block (hyper [0] eps, [1] momentum), with dropout its rate (hyper [2])
 * and this call's dropout mode (L.DROP_*; off without dropout layers), and the buffer table.
 */
export function setup<T>(
  desc: usize,
  hyper: usize,
  work: usize,
  n: i32,
  train: bool,
  simd: bool = true,
  dropMode: i32 = L.DROP_OFF,
): void {
  store<i32>(work + L.SIMD_FLAG, simd ? 1 : 0);
  const t: i32 = isF32(desc) ? 1 : 0;
  store<i32>(work + L.DROP_FLAG, L.hasDropout(desc) ? dropMode : L.DROP_OFF);
  if (L.hasDropout(desc)) {
    store<f64>(work + L.H_DROP, load<f64>(hyper, 16));
    const shared = dropMode == L.DROP_SHARED ? 1 : 0;
    for (let q = 0; q < L.dropLayers(desc); q++) {
      const d = q < L.convLayers(desc) ? L.dDropConv(work, q) : L.dDropDense(work, q - L.convLayers(desc));
      put(d, t, n, L.dropFeatures(desc, q), shared, 0, 0, 0);
    }
  }
  const F = L.filters(desc);
  for (let j = 0; j < L.convLayers(desc); j++) {
    const inLen = j == 0 ? L.seqLen(desc) : L.convLen(desc, j - 1);
    put(L.dConv(work, j), t, n, L.convIn(desc, j), F, inLen, L.kernel(desc), 0);
    put(L.dBn(work, j), t, n, F, L.convLen(desc, j), train ? 1 : 0, 1, 0);
    put(L.dRelu(work, j), t, n, F * L.convLen(desc, j), 0, 0, 0, 0);
  }
  for (let k = 0; k < 3; k++) put(L.dLin(work, k), t, n, L.denseIn(desc, k), L.denseOut(desc, k), 1, 0, 0);
  put(L.dDenseRelu(work, 0), t, n, L.dense1(desc), 0, 0, 0, 0);
  put(L.dDenseRelu(work, 1), t, n, L.dense2(desc), 0, 0, 0, 0);
  put(L.dMse(work), t, n * L.outputs(desc), 0, 0, 0, 0, 0);
  put(L.dAdam(work), t, L.paramCount(desc), 0, 0, 0, 0, 0);
  store<f64>(work + L.H_BN, load<f64>(hyper));
  store<f64>(work + L.H_BN + 8, load<f64>(hyper, 8));
  L.writeTable<T>(desc, work);
}

/** In place: x = x · mask / (1 − p) over dropout layer q's n rows (its descriptor from `setup`), when the call drops. */
function drop(desc: usize, work: usize, q: i32, x: usize): void {
  if (load<i32>(work + L.DROP_FLAG) == L.DROP_OFF) return;
  const d = q < L.convLayers(desc) ? L.dDropConv(work, q) : L.dDropDense(work, q - L.convLayers(desc));
  nn_dropout_forward(d, work + L.H_DROP, x, L.buffer(work, L.bufMask(desc, q)), x);
}

/** Address of convolution j's running mean (its running variance follows, F elements on). */
function runMean<T>(desc: usize, state: usize, j: i32): usize {
  return state + at<T>(2 * L.filters(desc) * j);
}

/** The forward pass of n rows (after `setup`): OUT holds the n × O outputs. */
export function forward<T>(
  desc: usize,
  params: usize,
  state: usize,
  codes: usize,
  index: usize,
  n: i32,
  work: usize,
): void {
  const F = L.filters(desc);
  const NL = L.convLayers(desc);
  const p0 = L.convOffset(desc, 0);
  inputConvForward<T>(
    n,
    L.seqLen(desc),
    F,
    L.kernel(desc),
    codes,
    index,
    params + at<T>(p0),
    params + at<T>(L.convBias(desc, 0)),
    L.buffer(work, L.bufZ(0)),
    L.inputScratchAt<T>(desc, work),
    L.simd(work),
  );
  for (let j = 0; j < NL; j++) {
    const z = L.buffer(work, L.bufZ(j));
    const a = L.buffer(work, L.bufA(j));
    if (j > 0) {
      const w = params + at<T>(L.convOffset(desc, j));
      const lin = L.convLen(desc, j - 1);
      const b = params + at<T>(L.convBias(desc, j));
      convForward<T>(n, F, F, lin, L.kernel(desc), L.buffer(work, L.bufA(j - 1)), w, b, z, L.simd(work));
    }
    const rm = runMean<T>(desc, state, j);
    const gamma = params + at<T>(L.bnGamma(desc, j));
    const beta = params + at<T>(L.bnBeta(desc, j));
    nn_batchnorm_forward(
      L.dBn(work, j),
      work + L.H_BN,
      z,
      gamma,
      beta,
      rm,
      rm + at<T>(F),
      L.buffer(work, L.bufCache(j)),
      a,
    );
    nn_activation_forward(L.dRelu(work, j), 0, a, a);
    drop(desc, work, j, a);
  }
  let inp = L.buffer(work, L.bufA(NL - 1));
  for (let k = 0; k < 3; k++) {
    const out = L.buffer(work, k == 0 ? L.H1 : k == 1 ? L.H2 : L.OUT);
    nn_linear_forward(L.dLin(work, k), inp, params + at<T>(L.denseW(desc, k)), params + at<T>(L.denseB(desc, k)), out);
    if (k < 2) {
      nn_activation_forward(L.dDenseRelu(work, k), 0, out, out);
      drop(desc, work, NL + k, out);
    }
    inp = out;
  }
}

/** d loss / d (the pre-activation) = relu'(y) · d; dst is zeroed first (n elements through the relu descriptor). */
function reluBack<T>(relu: usize, y: usize, d: usize, dst: usize, count: i32): void {
  L.zero<T>(count, dst);
  nn_activation_backward(relu, 0, y, y, d, dst);
}

/** Adds the gradient of MSE(OUT, YB) to grads (after `forward`). */
export function backward<T>(
  desc: usize,
  params: usize,
  grads: usize,
  codes: usize,
  index: usize,
  n: i32,
  work: usize,
): void {
  const F = L.filters(desc);
  const NL = L.convLayers(desc);
  const dn = L.buffer(work, L.DN);
  let dOut = L.buffer(work, L.DOUT);
  for (let k = 2; k >= 0; k--) {
    // Linear k reads the flatten (k = 0) or hidden layer k's ReLU output
    const act = L.buffer(work, k == 0 ? L.bufA(NL - 1) : k == 1 ? L.H1 : L.H2);
    const dIn = L.buffer(work, k == 0 ? L.DA : k == 1 ? L.DH1 : L.DH2);
    L.zero<T>(n * L.denseIn(desc, k), dIn);
    const w = params + at<T>(L.denseW(desc, k));
    nn_linear_backward(
      L.dLin(work, k),
      act,
      w,
      dOut,
      dIn,
      grads + at<T>(L.denseW(desc, k)),
      grads + at<T>(L.denseB(desc, k)),
    );
    if (k > 0) {
      // dropout's backward is its forward on the gradient: d (ReLU output) = dIn · mask / (1 − p)
      drop(desc, work, NL + k - 1, dIn);
      reluBack<T>(L.dDenseRelu(work, k - 1), act, dIn, dn, n * L.denseIn(desc, k));
      dOut = dn;
    }
  }
  const da = L.buffer(work, L.DA);
  const dz = L.buffer(work, L.DZ);
  for (let j = NL - 1; j >= 0; j--) {
    const size = n * F * L.convLen(desc, j);
    drop(desc, work, j, da);
    reluBack<T>(L.dRelu(work, j), L.buffer(work, L.bufA(j)), da, dn, size);
    L.zero<T>(size, dz);
    const z = L.buffer(work, L.bufZ(j));
    const gamma = params + at<T>(L.bnGamma(desc, j));
    nn_batchnorm_backward(
      L.dBn(work, j),
      z,
      gamma,
      L.buffer(work, L.bufCache(j)),
      dn,
      dz,
      grads + at<T>(L.bnGamma(desc, j)),
      grads + at<T>(L.bnBeta(desc, j)),
    );
    const dw = grads + at<T>(L.convOffset(desc, j));
    const db = grads + at<T>(L.convBias(desc, j));
    if (j > 0) {
      L.zero<T>(n * F * L.convLen(desc, j - 1), da);
      const x = L.buffer(work, L.bufA(j - 1));
      const w = params + at<T>(L.convOffset(desc, j));
      const lin = L.convLen(desc, j - 1);
      convBackward<T>(n, F, F, lin, L.kernel(desc), x, w, dz, da, dw, db, L.scratch<T>(desc, work), L.simd(work));
    } else {
      const sc = L.inputScratchAt<T>(desc, work);
      inputConvBackward<T>(n, L.seqLen(desc), F, L.kernel(desc), codes, index, dz, dw, db, sc, L.simd(work));
    }
  }
}

/** Copies the targets of the n batch rows (index, or rows 0 ... n when 0) into YB. */
function gatherY<T>(desc: usize, y: usize, index: usize, n: i32, work: usize): void {
  const O = L.outputs(desc);
  const yb = L.buffer(work, L.YB);
  for (let r = 0; r < n; r++) {
    const i = index == 0 ? r : load<i32>(index + ((<usize>r) << 2));
    for (let o = 0; o < O; o++) store<T>(yb + at<T>(r * O + o), load<T>(y + at<T>(i * O + o)));
  }
}

/**
 * MSE of n rows (BatchNorm in train or eval mode; train mode updates the running statistics); with
 * grads (not 0) ADDS its gradient. simd false runs this model's own kernels' scalar twins. With rng
 * (not 0) and dropout layers, training dropout: one mask per row per layer drawn from the PCG64
 * state at rng.
 */
export function lossAndGrad<T>(
  desc: usize,
  hyper: usize,
  params: usize,
  grads: usize,
  state: usize,
  codes: usize,
  y: usize,
  index: usize,
  n: i32,
  work: usize,
  train: bool,
  simd: bool = true,
  rng: usize = 0,
): f64 {
  const dropping = rng != 0 && L.hasDropout(desc);
  setup<T>(desc, hyper, work, n, train, simd, dropping ? L.DROP_ROWS : L.DROP_OFF);
  if (dropping) drawMasks<T>(desc, work, rng, n);
  gatherY<T>(desc, y, index, n, work);
  forward<T>(desc, params, state, codes, index, n, work);
  const out = L.buffer(work, L.OUT);
  const dout = L.buffer(work, L.DOUT);
  if (grads == 0) return nn_mse_loss(L.dMse(work), out, L.buffer(work, L.YB), 0, 1);
  L.zero<T>(n * L.outputs(desc), dout);
  const loss = nn_mse_loss(L.dMse(work), out, L.buffer(work, L.YB), dout, 1);
  backward<T>(desc, params, grads, codes, index, n, work);
  return loss;
}
