/**
 * The typed ABI of `build/mrsweep.wasm` (see `assembly/index.ts`). Pointers are byte offsets into
 * the module's memory; matrices are column-major with a leading dimension in elements.
 */
export interface CoreExports {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  mark(): number;
  reset(mark: number): void;

  dot(n: number, x: number, y: number): number;
  dot_scalar(n: number, x: number, y: number): number;
  axpy(n: number, a: number, x: number, y: number): void;
  axpy_scalar(n: number, a: number, x: number, y: number): void;
  scal(n: number, a: number, x: number): void;
  scal_scalar(n: number, a: number, x: number): void;
  square(n: number, x: number, y: number): void;
  square_scalar(n: number, x: number, y: number): void;
  amax(n: number, x: number): number;
  amax_scalar(n: number, x: number): number;
  nrm2(n: number, x: number): number;
  nrm2_scalar(n: number, x: number): number;
  sum(n: number, x: number): number;
  sum_scalar(n: number, x: number): number;

  gemv_n(m: number, n: number, alpha: number, a: number, lda: number, x: number, beta: number, y: number): void;
  gemv_n_scalar(m: number, n: number, alpha: number, a: number, lda: number, x: number, beta: number, y: number): void;
  gemv_t(m: number, n: number, alpha: number, a: number, lda: number, x: number, beta: number, y: number): void;
  gemv_t_scalar(m: number, n: number, alpha: number, a: number, lda: number, x: number, beta: number, y: number): void;

  crossprod(n: number, p: number, x: number, ldx: number, c: number): void;
  crossprod_scalar(n: number, p: number, x: number, ldx: number, c: number): void;
  crossprod_w(n: number, p: number, x: number, ldx: number, w: number, c: number): void;
  crossprod_w_scalar(n: number, p: number, x: number, ldx: number, w: number, c: number): void;
  center(n: number, p: number, x: number, ldx: number, means: number): void;
  center_scalar(n: number, p: number, x: number, ldx: number, means: number): void;
  gather_rows(n: number, p: number, x: number, ldx: number, perm: number, out: number): void;

  /** Implicitly centred designs (assembly/centred.ts): `cols` lists the p columns' byte addresses (u32 each). */
  col_means(n: number, p: number, cols: number, means: number): void;
  col_means_scalar(n: number, p: number, cols: number, means: number): void;
  centred_crossprod(n: number, p: number, cols: number, means: number, rows: number, scratch: number, c: number): void;
  centred_crossprod_scalar(
    n: number,
    p: number,
    cols: number,
    means: number,
    rows: number,
    scratch: number,
    c: number,
  ): void;
  centred_gemv_t(n: number, p: number, cols: number, means: number, y: number, out: number): void;
  centred_gemv_t_scalar(n: number, p: number, cols: number, means: number, y: number, out: number): void;
  centred_gemv_n(n: number, p: number, alpha: number, cols: number, means: number, b: number, y: number): void;
  centred_gemv_n_scalar(n: number, p: number, alpha: number, cols: number, means: number, b: number, y: number): void;
  /** Column means (as `center` makes them) and centred sums of squares of X, left unchanged (assembly/scaled.ts). */
  column_stats(n: number, p: number, x: number, ldx: number, means: number, ss: number): void;
  column_stats_scalar(n: number, p: number, x: number, ldx: number, means: number, ss: number): void;
  /** out (m x p, leading dimension m) = (X's m rows at x - means) * scales, column by column. */
  scaled_rows(m: number, p: number, x: number, ldx: number, means: number, scales: number, out: number): void;
  scaled_rows_scalar(m: number, p: number, x: number, ldx: number, means: number, scales: number, out: number): void;

  /** The double nearest to (hi * 2^32 + lo) * 10^exp10 (Eisel-Lemire), or NaN when undecided. */
  eisel_lemire(hi: number, lo: number, exp10: number, negative: number): number;

  /** PLINK 1 .bed codes of one variant (ceil(n / 4) bytes at `bytes`) decoded to n dosages at `out`; returns the missing count. */
  plink_decode(bytes: number, n: number, out: number): number;
  plink_decode_scalar(bytes: number, n: number, out: number): number;

  // assembly/io/read-lines.ts: whole lines of a numeric file into column-major f64 columns (the
  // fast path under ByteRows). Status 0: buffer used up (but an unfinished last line), 1: stopped
  // at a line TypeScript must take, 2: maxRows taken; then read_lines_rows and read_lines_stop.
  read_lines(
    buf: number,
    len: number,
    delimiter: number,
    slots: number,
    width: number,
    cols: number,
    stride: number,
    row0: number,
    maxRows: number,
  ): number;
  read_lines_scalar(
    buf: number,
    len: number,
    delimiter: number,
    slots: number,
    width: number,
    cols: number,
    stride: number,
    row0: number,
    maxRows: number,
  ): number;
  read_lines_rows(): number;
  read_lines_stop(): number;
  /** The static scratch block (slot table and line bytes) and its size. */
  read_scratch(): number;
  read_scratch_bytes(): number;

  cholesky(p: number, a: number, lda: number, tol: number): number;
  cholesky_scalar(p: number, a: number, lda: number, tol: number): number;
  chol_solve(p: number, l: number, ldl: number, b: number, ldb: number, nrhs: number): void;
  chol_solve_scalar(p: number, l: number, ldl: number, b: number, ldb: number, nrhs: number): void;
  chol_inverse(p: number, l: number, ldl: number, out: number): void;
  /** Symmetric eigendecomposition (assembly/eigen.ts): 0, or 1 when not converged in maxSweeps. */
  eigen_sym(d: number, a: number, lda: number, w: number, v: number, ldv: number, maxSweeps: number): number;

  lasso_cd(
    n: number,
    p: number,
    x: number,
    ldx: number,
    y: number,
    w: number,
    alpha: number,
    tol: number,
    maxIter: number,
    norms: number,
    r: number,
    out: number,
  ): number;
  lasso_cd_scalar(
    n: number,
    p: number,
    x: number,
    ldx: number,
    y: number,
    w: number,
    alpha: number,
    tol: number,
    maxIter: number,
    norms: number,
    r: number,
    out: number,
  ): number;
  lasso_cd_gram(
    p: number,
    q: number,
    xy: number,
    yy: number,
    w: number,
    alpha: number,
    tol: number,
    maxIter: number,
    h: number,
    out: number,
  ): number;
  lasso_cd_gram_scalar(
    p: number,
    q: number,
    xy: number,
    yy: number,
    w: number,
    alpha: number,
    tol: number,
    maxIter: number,
    h: number,
    out: number,
  ): number;
  lasso_fold_path(
    p: number,
    q: number,
    xy: number,
    yy: number,
    alphas: number,
    nAlphas: number,
    scale: number,
    tol: number,
    maxIter: number,
    t: number,
    txy: number,
    tyy: number,
    dx: number,
    dy: number,
    mTest: number,
    w: number,
    h: number,
    tmp: number,
    out: number,
    mse: number,
  ): number;
  mse_shift(n: number, a: number, b: number, c: number): number;
  mse_shift_scalar(n: number, a: number, b: number, c: number): number;

  // assembly/models/encoder-train.ts: desc as in assembly/models/encoder-layout.ts; data holds the pointers of C, x, y.
  encoder_param_count(desc: number): number;
  encoder_work_size(desc: number): number;
  encoder_train_epoch(
    desc: number,
    hyper: number,
    params: number,
    grads: number,
    m: number,
    v: number,
    data: number,
    order: number,
    count: number,
    work: number,
  ): number;
  encoder_mse(desc: number, params: number, data: number, order: number, count: number, work: number): number;
  encoder_predict(desc: number, params: number, c: number, n: number, theta: number, mu: number, work: number): void;
  encoder_gradient(
    desc: number,
    params: number,
    grads: number,
    data: number,
    order: number,
    count: number,
    work: number,
  ): number;
  pcg64_seed(state: number, seed: number): void;
  snp_stats(
    n: number,
    L: number,
    g: number,
    ldg: number,
    xc: number,
    yc: number,
    xx: number,
    yy: number,
    bx: number,
    sx: number,
    by: number,
    sy: number,
  ): void;
  mix_monomials(n: number, d: number, degree: number, u: number, out: number): number;
  mix_leaky_relu(len: number, x: number, slope: number): void;
  mix_argmax3(n: number, g: number, x: number, out: number): void;
  standardize_columns(n: number, k: number, c: number): void;
  study_outcomes(
    n: number,
    context: number,
    beta: number,
    ux: number,
    uy: number,
    gpi: number,
    cgamma: number,
    czeta: number,
    cdelta: number,
    u: number,
    v: number,
    e: number,
    gtheta: number,
    betai: number,
    x: number,
    y: number,
  ): void;
  study_vary_instruments(n: number, gpi: number, cpd: number, factor: number, gpiOut: number): void;
  rng_uniform(state: number, out: number, n: number, low: number, range: number): void;
  rng_normal(state: number, out: number, n: number, mean: number, sd: number): void;
  rng_integers(state: number, out: number, n: number, low: number, rng: number): void;
  rng_binomial(
    state: number,
    out: number,
    rows: number,
    cols: number,
    trials: number,
    setup: number,
    stride: number,
  ): void;
  pcg64_fill(state: number, out: number, count: number): void;

  /**
   * assembly/nn layers, losses and optimizers; the conventions are in assembly/nn/desc.ts. `desc`
   * points at an i32 descriptor (desc[0] the dtype, 0 f64 / 1 f32, then the family's fields, see its
   * file header), `hyper` at an f64 block; buffers are of the dtype. Backward kernels and losses ADD
   * into gradient buffers; an input gradient of 0 is skipped (the list is in desc.ts).
   * `nn_*_out_len` / `nn_*_out_size` count elements; `nn_*_cache_size` / `nn_*_work_size` return
   * bytes, exact past 2^31 (core.alloc refuses what wasm32 cannot address).
   */
  nn_activation_forward(desc: number, hyper: number, inp: number, out: number): void;
  nn_activation_backward(desc: number, hyper: number, inp: number, out: number, dOut: number, dIn: number): void;
  nn_activation_forward_scalar(desc: number, hyper: number, inp: number, out: number): void;
  nn_activation_backward_scalar(desc: number, hyper: number, inp: number, out: number, dOut: number, dIn: number): void;
  nn_batchnorm_cache_size(desc: number): number;
  nn_batchnorm_forward(
    desc: number,
    hyper: number,
    inp: number,
    w: number,
    b: number,
    runMean: number,
    runVar: number,
    cache: number,
    out: number,
  ): void;
  nn_batchnorm_backward: NnNormBackward;
  nn_dropout_forward(desc: number, hyper: number, inp: number, mask: number, out: number): void;
  nn_dropout_backward(desc: number, hyper: number, mask: number, dOut: number, dIn: number): void;
  nn_layernorm_cache_size(desc: number): number;
  nn_layernorm_forward(
    desc: number,
    hyper: number,
    inp: number,
    w: number,
    b: number,
    cache: number,
    out: number,
  ): void;
  nn_layernorm_backward: NnNormBackward;
  nn_layernorm_forward_scalar(
    desc: number,
    hyper: number,
    inp: number,
    w: number,
    b: number,
    cache: number,
    out: number,
  ): void;
  nn_layernorm_backward_scalar: NnNormBackward;
  nn_linear_forward(desc: number, inp: number, w: number, bias: number, out: number): void;
  nn_linear_backward(desc: number, inp: number, w: number, dOut: number, dIn: number, dW: number, dB: number): void;
  nn_matmul_forward: NnMatmul;
  nn_matmul_forward_scalar: NnMatmul;
  nn_matmul_backward_input: NnMatmul;
  nn_matmul_backward_input_scalar: NnMatmul;
  nn_matmul_backward_weight: NnMatmul;
  nn_matmul_backward_weight_scalar: NnMatmul;
  /** hyper: lr, beta1, beta2, eps, weight decay, t (1-based step); grads are zeroed after the step. */
  nn_adam_step: NnAdam;
  nn_adam_step_scalar: NnAdam;
  nn_adamw_step: NnAdam;
  nn_adamw_step_scalar: NnAdam;
  nn_amsgrad_step: NnAmsgrad;
  nn_amsgrad_step_scalar: NnAmsgrad;
  /** hyper[0] max_norm; writes the norm before clipping to hyper[1]. */
  nn_clip_grad_norm(desc: number, hyper: number, grads: number): void;
  nn_conv1d_out_len(desc: number): number;
  nn_conv1d_forward(desc: number, inp: number, w: number, bias: number, out: number): void;
  nn_conv1d_forward_scalar(desc: number, inp: number, w: number, bias: number, out: number): void;
  nn_conv1d_backward(desc: number, inp: number, w: number, dOut: number, dIn: number, dW: number, dB: number): void;
  nn_conv1d_backward_scalar(
    desc: number,
    inp: number,
    w: number,
    dOut: number,
    dIn: number,
    dW: number,
    dB: number,
  ): void;
  nn_maxpool1d_out_len(desc: number): number;
  nn_maxpool1d_cache_size(desc: number): number;
  nn_maxpool1d_forward(desc: number, inp: number, out: number, cache: number): void;
  nn_maxpool1d_backward(desc: number, dOut: number, dIn: number, cache: number): void;
  nn_polynomial_out_size(desc: number): number;
  nn_polynomial_work_size(desc: number): number;
  nn_polynomial_forward(desc: number, inp: number, out: number): void;
  nn_polynomial_backward(desc: number, inp: number, out: number, dOut: number, dIn: number, work: number): void;
  nn_varying_forward(desc: number, h: number, x: number, y: number): void;
  /** `dx` 0: no gradient to the covariates. */
  nn_varying_backward(desc: number, h: number, x: number, dy: number, dh: number, dx: number): void;
  /** Losses return the mean loss and ADD dloss * gradient to `grad` (skipped when `grad` is 0). */
  nn_mse_loss(desc: number, z: number, y: number, grad: number, dloss: number): number;
  nn_poisson_nll_loss(desc: number, z: number, y: number, grad: number, dloss: number): number;
  nn_bce_logits_loss(desc: number, z: number, y: number, grad: number, dloss: number): number;
  nn_logdet_work_size(desc: number): number;
  nn_logdet_loss(desc: number, hyper: number, z: number, grad: number, work: number, dloss: number): number;
  nn_mmd2_work_size(desc: number): number;
  nn_mmd2_loss: KernelLoss;
  nn_hsic_work_size(desc: number): number;
  nn_hsic_loss: KernelLoss;
  nn_mmd2_feat_work_size(desc: number): number;
  nn_mmd2_feat_loss: KernelLoss;
  nn_hsic_feat_work_size(desc: number): number;
  nn_hsic_feat_loss: KernelLoss;
  /** inv_repr (assembly/models/inv-repr-train.ts): see src/models/inv-repr.ts. */
  inv_repr_param_count(desc: number): number;
  inv_repr_work_size(desc: number): number;
  inv_repr_loss(
    desc: number,
    hyper: number,
    params: number,
    grads: number,
    z: number,
    x: number,
    index: number,
    work: number,
    terms: number,
  ): number;
  inv_repr_train_epoch(
    desc: number,
    hyper: number,
    adam: number,
    params: number,
    grads: number,
    m: number,
    v: number,
    z: number,
    x: number,
    index: number,
    batches: number,
    work: number,
    terms: number,
  ): number;
  inv_repr_encode(desc: number, hyper: number, params: number, z: number, n: number, out: number, work: number): void;
  inv_repr_rec_sse(desc: number, hyper: number, params: number, z: number, n: number, work: number): number;

  /** Occupancy q of a PWM (K x 4 log-odds, row-major) on n byte sequences of length L (assembly/sim/pwm.ts). */
  pwm_occupancy(n: number, L: number, seqs: number, K: number, llr: number, out: number): number;
  /** MM-regression (assembly/stats/lmrob.ts): see src/deepmr/lmrob.ts for the buffers. */
  lmrob_work_size(n: number, p: number, bestR: number): number;
  lmrob_out_size(n: number, p: number): number;
  lmrob_avar1_work_size(p: number): number;
  lmrob_avar1(
    n: number,
    p: number,
    x: number,
    r: number,
    r0: number,
    s: number,
    cPsi: number,
    cChi: number,
    bb: number,
    work: number,
    cov: number,
  ): number;
  lmrob_mm(
    n: number,
    p: number,
    x: number,
    y: number,
    w: number,
    sub: number,
    m: number,
    count: number,
    ctrl: number,
    work: number,
    out: number,
  ): number;
  /** The Deep MR CNN (assembly/models/deep-cnn-train.ts): see src/models/deep-cnn.ts. */
  deep_cnn_param_count(desc: number): number;
  deep_cnn_state_count(desc: number): number;
  deep_cnn_work_size(desc: number): number;
  deep_cnn_loss(
    desc: number,
    hyper: number,
    params: number,
    grads: number,
    state: number,
    codes: number,
    y: number,
    index: number,
    n: number,
    work: number,
    train: number,
    rng: number,
  ): number;
  deep_cnn_loss_scalar(
    desc: number,
    hyper: number,
    params: number,
    grads: number,
    state: number,
    codes: number,
    y: number,
    index: number,
    n: number,
    work: number,
    train: number,
    rng: number,
  ): number;
  deep_cnn_train_epoch(
    desc: number,
    hyper: number,
    adam: number,
    params: number,
    grads: number,
    m: number,
    v: number,
    vmax: number,
    state: number,
    codes: number,
    y: number,
    index: number,
    n: number,
    work: number,
    rng: number,
  ): number;
  deep_cnn_eval_loss(
    desc: number,
    hyper: number,
    params: number,
    state: number,
    codes: number,
    y: number,
    index: number,
    n: number,
    work: number,
  ): number;
  deep_cnn_conv_scratch_size(desc: number): number;
  deep_cnn_conv_forward(desc: number, x: number, w: number, bias: number, out: number): void;
  deep_cnn_conv_forward_scalar(desc: number, x: number, w: number, bias: number, out: number): void;
  deep_cnn_conv_backward(
    desc: number,
    x: number,
    w: number,
    dy: number,
    dx: number,
    dw: number,
    db: number,
    scratch: number,
  ): void;
  deep_cnn_conv_backward_scalar(
    desc: number,
    x: number,
    w: number,
    dy: number,
    dx: number,
    dw: number,
    db: number,
    scratch: number,
  ): void;
  deep_cnn_ism_work_size(desc: number): number;
  deep_cnn_ism(
    desc: number,
    hyper: number,
    params: number,
    state: number,
    seq: number,
    batchMode: number,
    out: number,
    work: number,
    rng: number,
  ): void;
  deep_cnn_predict(
    desc: number,
    hyper: number,
    params: number,
    state: number,
    codes: number,
    index: number,
    n: number,
    batchMode: number,
    out: number,
    work: number,
    rng: number,
  ): void;
}

/** (desc, inp, weight, cache, dOut, dIn, dW, dB) of assembly/nn/layernorm.ts and batchnorm.ts. */
type NnNormBackward = (
  desc: number,
  inp: number,
  w: number,
  cache: number,
  dOut: number,
  dIn: number,
  dW: number,
  dB: number,
) => void;

/** (desc, hyper, params, grads, m, v) of assembly/nn/optim.ts. */
type NnAdam = (desc: number, hyper: number, params: number, grads: number, m: number, v: number) => void;

/** (desc, hyper, params, grads, m, v, vmax) of assembly/nn/optim.ts. */
type NnAmsgrad = (
  desc: number,
  hyper: number,
  params: number,
  grads: number,
  m: number,
  v: number,
  vmax: number,
) => void;

/** (desc, first operand, second operand, result) of assembly/nn/matmul.ts. */
type NnMatmul = (desc: number, a: number, b: number, c: number) => void;

/** MMD² or HSIC of x and y (assembly/nn/kernel-loss.ts, or kernel-feature.ts for the polynomial feature form); gx, gy 0 skip a gradient; `work` as sized by the export. */
type KernelLoss = (
  desc: number,
  hyper: number,
  x: number,
  y: number,
  gx: number,
  gy: number,
  work: number,
  dloss: number,
) => number;
