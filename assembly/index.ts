// The ABI of the numeric core: re-exports only.
export { alloc, mark, reset } from "./arena";
export {
  amax,
  amax_scalar,
  axpy,
  axpy_scalar,
  dot,
  dot_scalar,
  nrm2,
  nrm2_scalar,
  scal,
  scal_scalar,
  square,
  square_scalar,
  sum,
  sum_scalar,
} from "./blas1";
export { chol_inverse, chol_solve, chol_solve_scalar, cholesky, cholesky_scalar } from "./cholesky";
export { center, center_scalar, crossprod, crossprod_scalar, crossprod_w, crossprod_w_scalar } from "./crossprod";
export { gemv_n, gemv_n_scalar, gemv_t, gemv_t_scalar } from "./gemv";
export {
  lasso_cd,
  lasso_cd_gram,
  lasso_cd_gram_scalar,
  lasso_cd_scalar,
  lasso_fold_path,
  mse_shift,
  mse_shift_scalar,
} from "./lasso";
export {
  adam_step,
  adam_step_scalar,
  mlp_gradient,
  mlp_gradient_f32,
  mlp_mse,
  mlp_mse_f32,
  mlp_param_count,
  mlp_predict,
  mlp_predict_f32,
  mlp_train_epoch,
  mlp_train_epoch_f32,
  mlp_work_size,
} from "./mlp";
export {
  nn_conv1d_backward,
  nn_conv1d_backward_scalar,
  nn_conv1d_forward,
  nn_conv1d_forward_scalar,
  nn_conv1d_out_len,
} from "./nn/conv1d";
export { nn_hsic_loss, nn_hsic_work_size, nn_mmd2_loss, nn_mmd2_work_size } from "./nn/kernel-loss";
export { nn_logdet_loss, nn_logdet_work_size } from "./nn/logdet";
export { nn_bce_logits_loss, nn_mse_loss, nn_poisson_nll_loss } from "./nn/loss";
export { nn_polynomial_backward, nn_polynomial_forward, nn_polynomial_out_size } from "./nn/polynomial";
export { nn_maxpool1d_backward, nn_maxpool1d_cache_size, nn_maxpool1d_forward, nn_maxpool1d_out_len } from "./nn/pool";
export { nn_varying_backward, nn_varying_forward } from "./nn/varying";
export { pcg64_fill, pcg64_seed } from "./pcg64";
export { gather_rows } from "./permute";
export { rng_binomial, rng_integers, rng_normal, rng_uniform } from "./random";
export { snp_stats } from "./snp";
export { standardize_columns, study_outcomes, study_vary_instruments } from "./study";
