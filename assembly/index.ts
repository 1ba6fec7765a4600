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
export {
  centred_crossprod,
  centred_crossprod_scalar,
  centred_gemv_n,
  centred_gemv_n_scalar,
  centred_gemv_t,
  centred_gemv_t_scalar,
  col_means,
  col_means_scalar,
} from "./centred";
export { chol_inverse, chol_solve, chol_solve_scalar, cholesky, cholesky_scalar } from "./cholesky";
export { center, center_scalar, crossprod, crossprod_scalar, crossprod_w, crossprod_w_scalar } from "./crossprod";
export { eigen_sym } from "./eigen";
export { gemv_n, gemv_n_scalar, gemv_t, gemv_t_scalar } from "./gemv";
export { eisel_lemire } from "./io/eisel-lemire";
export { plink_decode, plink_decode_scalar } from "./io/plink";
export {
  read_lines,
  read_lines_rows,
  read_lines_scalar,
  read_lines_stop,
  read_scratch,
  read_scratch_bytes,
} from "./io/read-lines";
export {
  lasso_cd,
  lasso_cd_gram,
  lasso_cd_gram_scalar,
  lasso_cd_scalar,
  lasso_fold_path,
  mse_shift,
  mse_shift_scalar,
} from "./lasso";
export { mix_argmax3, mix_leaky_relu, mix_monomials } from "./mixing";
export {
  deep_cnn_conv_backward,
  deep_cnn_conv_backward_scalar,
  deep_cnn_conv_forward,
  deep_cnn_conv_forward_scalar,
  deep_cnn_conv_scratch_size,
} from "./models/deep-cnn-conv-layer";
export { deep_cnn_ism, deep_cnn_ism_work_size } from "./models/deep-cnn-ism-head";
export {
  deep_cnn_eval_loss,
  deep_cnn_loss,
  deep_cnn_loss_scalar,
  deep_cnn_param_count,
  deep_cnn_predict,
  deep_cnn_state_count,
  deep_cnn_train_epoch,
  deep_cnn_work_size,
} from "./models/deep-cnn-train";
export {
  encoder_gradient,
  encoder_mse,
  encoder_param_count,
  encoder_predict,
  encoder_train_epoch,
  encoder_work_size,
} from "./models/encoder-train";
export {
  inv_repr_encode,
  inv_repr_loss,
  inv_repr_param_count,
  inv_repr_rec_sse,
  inv_repr_train_epoch,
  inv_repr_work_size,
} from "./models/inv-repr-train";
export {
  nn_activation_backward,
  nn_activation_backward_scalar,
  nn_activation_forward,
  nn_activation_forward_scalar,
} from "./nn/activation";
export {
  nn_batchnorm_backward,
  nn_batchnorm_cache_size,
  nn_batchnorm_forward,
} from "./nn/batchnorm";
export {
  nn_conv1d_backward,
  nn_conv1d_backward_scalar,
  nn_conv1d_forward,
  nn_conv1d_forward_scalar,
  nn_conv1d_out_len,
} from "./nn/conv1d";
export { nn_dropout_backward, nn_dropout_forward } from "./nn/dropout";
export {
  nn_hsic_feat_loss,
  nn_hsic_feat_work_size,
  nn_mmd2_feat_loss,
  nn_mmd2_feat_work_size,
} from "./nn/kernel-feature";
export { nn_hsic_loss, nn_hsic_work_size, nn_mmd2_loss, nn_mmd2_work_size } from "./nn/kernel-loss";
export {
  nn_layernorm_backward,
  nn_layernorm_backward_scalar,
  nn_layernorm_cache_size,
  nn_layernorm_forward,
  nn_layernorm_forward_scalar,
} from "./nn/layernorm";
export { nn_linear_backward, nn_linear_forward } from "./nn/linear";
export { nn_logdet_loss, nn_logdet_work_size } from "./nn/logdet";
export { nn_bce_logits_loss, nn_mse_loss, nn_poisson_nll_loss } from "./nn/loss";
export {
  nn_matmul_backward_input,
  nn_matmul_backward_input_scalar,
  nn_matmul_backward_weight,
  nn_matmul_backward_weight_scalar,
  nn_matmul_forward,
  nn_matmul_forward_scalar,
} from "./nn/matmul";
export {
  nn_adam_step,
  nn_adam_step_scalar,
  nn_adamw_step,
  nn_adamw_step_scalar,
  nn_amsgrad_step,
  nn_amsgrad_step_scalar,
  nn_clip_grad_norm,
} from "./nn/optim";
export {
  nn_polynomial_backward,
  nn_polynomial_forward,
  nn_polynomial_out_size,
  nn_polynomial_work_size,
} from "./nn/polynomial";
export { nn_maxpool1d_backward, nn_maxpool1d_cache_size, nn_maxpool1d_forward, nn_maxpool1d_out_len } from "./nn/pool";
export { nn_varying_backward, nn_varying_forward } from "./nn/varying";
export { pcg64_fill, pcg64_seed } from "./pcg64";
export { gather_rows } from "./permute";
export { rng_binomial, rng_integers, rng_normal, rng_uniform } from "./random";
export { column_stats, column_stats_scalar, scaled_rows, scaled_rows_scalar } from "./scaled";
export { pwm_occupancy } from "./sim/pwm";
export { snp_stats } from "./snp";
export { lmrob_avar1, lmrob_avar1_work_size, lmrob_mm, lmrob_out_size, lmrob_work_size } from "./stats/lmrob";
export { standardize_columns, study_outcomes, study_vary_instruments } from "./study";
