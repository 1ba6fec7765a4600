// The conventions of every assembly/nn kernel, and the one reader of its descriptors. Each family's
// file header states only its formula, its descriptor and hyper fields and its buffer sizes.
//
// Descriptor: a block of i32 at `desc`. desc[0] is the dtype, 0 = f64 and 1 = f32 (any other value
// reads as f64); desc[1] on are the family's shape fields, "[k]" in a header meaning desc[k].
// Hyper: a block of f64 at `hyper` (eps, momentum, slope, lr, ...), in the family's order, for the
// families that have floating hyperparameters. Read both only through `isF32`, `field` and `hyper`.
//
// Dtype dispatch: one export per kernel, `isF32(desc) ? kernel<f32>(...) : kernel<f64>(...)`; the
// math is written once as a generic <T> function. Every buffer is of the dtype except where a
// header says otherwise (f64 work, i32 caches). Sums a header marks "in f64" are accumulated in f64
// for both dtypes.
//
// Layout: batch-first, row-major. Dense activations are B x F; Conv1d and pooling tensors are
// (B, C, L), channels-first; a Linear weight is (out x in), like torch.nn.Linear.weight. Buffers
// need only their element's alignment: SIMD loops use unaligned v128 loads.
//
// Forward overwrites its output. Backward ADDS (+=) into every gradient it writes, parameter and
// input gradients alike (llm.c's convention; the caller zeroes them), so one input can feed several
// layers. A loss returns its value (f64) and adds dloss * its gradient, dloss being the upstream
// gradient of the caller's total (1 alone, a weight in a sum of losses, -lambda for a penalty).
//
// Sizes: `nn_*_out_len` / `nn_*_out_size` are shapes, in elements (i32). `nn_*_cache_size` and
// `nn_*_work_size` are BYTES, returned as f64: exact at any size (an i32 byte count wraps at 2 GiB,
// e.g. HSIC's work at n ~ 16k). A cache is written by forward and read by backward, so it lives
// between them; a work buffer is scratch for one call. A size past wasm32's 4 GiB cannot be
// allocated: the TypeScript core's `alloc` refuses it (no kernel checks).
//
// Null gradient pointers: an INPUT gradient may be 0 wherever the kernel has another output; the
// kernel then neither reads nor writes it (a first layer, an input that is data):
//   linear, conv1d, layernorm and batchnorm dIn; varying dx;
//   mse, poisson_nll, bce_logits and logdet grad; mmd2 and hsic gx, gy.
// Parameter gradients must be given whenever the layer has the parameter (linear dB with desc[4] = 0,
// and layernorm / batchnorm dW, dB with affine 0, are not touched and may be 0). varying's dh and the
// only output of activation, dropout, maxpool1d and polynomial backward must be given; so must every
// optimizer buffer (vmax only for AMSGrad).
//
// Scalar twins: a kernel with SIMD loops (matmul, conv1d, the optimizers) has a `<name>_scalar`
// export, the same generic code with SIMD off; tests compare the two on lengths 0, 1, 2, 3, 2k,
// 2k + 1 and at odd element offsets.

/** Whether the descriptor asks for f32 buffers (dtype 1); any other value means f64. */
export function isF32(desc: usize): bool {
  return load<i32>(desc) == 1;
}

/** Field k of a descriptor (k = 0 is the dtype). */
export function field(desc: usize, k: i32): i32 {
  return load<i32>(desc + ((<usize>k) << 2));
}

/** Value k of an f64 hyperparameter block. */
export function hyper(h: usize, k: i32): f64 {
  return load<f64>(h + ((<usize>k) << 3));
}

/** Byte offset of element i of a T buffer. */
export function at<T>(i: i32): usize {
  return (<usize>i) << alignof<T>();
}

/** Bytes of n elements of the descriptor's dtype, in f64 so that no size wraps. */
export function dtypeBytes(desc: usize, n: f64): f64 {
  return n * (isF32(desc) ? 4.0 : 8.0);
}

/** Elements of T in one v128 (2 for f64, 4 for f32). */
export function lanes<T>(): i32 {
  return 16 >> alignof<T>();
}
