// Element-wise losses, averaged over the n elements of a prediction z and a target y (any shape,
// flattened; torch's reduction="mean"):
//   MSE:                 (z - y)²                                   d/dz = 2 (z - y)
//   Poisson NLL:         exp(z) - y z    (z = log rate)             d/dz = exp(z) - y
//   BCE with logits:     max(z, 0) - z y + log1p(exp(-|z|))         d/dz = sigmoid(z) - y
// Poisson is torch.nn.PoissonNLLLoss(log_input=True, full=False): no Stirling term, no eps (eps only
// enters with log_input=False). BCE is torch.nn.BCEWithLogitsLoss without weights, in the stable
// form that never exponentiates a positive number.
// Each kernel returns the loss (accumulated in f64) and, unless `grad` is 0, ADDS
// dloss * d(loss)/dz to grad: `dloss` is the upstream gradient of the caller's total with respect
// to this loss (1 alone, a weight lambda in a sum of losses).
// Descriptor (i32): [0] dtype (0 f64, 1 f32), [1] n.
// see: torch.nn.MSELoss, torch.nn.PoissonNLLLoss, torch.nn.BCEWithLogitsLoss
// (aten/src/ATen/native/Loss.cpp binary_cross_entropy_with_logits)

/** Byte offset of element i of a T buffer. */
function at<T>(i: i32): usize {
  return (<usize>i) << alignof<T>();
}

const MSE = 0;
const POISSON = 1;
const BCE = 2;

function mean<T>(kind: i32, desc: usize, z: usize, y: usize, grad: usize, dloss: f64): f64 {
  const n = load<i32>(desc + 4);
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const zi = <f64>load<T>(z + at<T>(i));
    const yi = <f64>load<T>(y + at<T>(i));
    let d: f64;
    if (kind == MSE) {
      d = zi - yi;
      s += d * d;
      d *= 2;
    } else if (kind == POISSON) {
      const e = Math.exp(zi);
      s += e - yi * zi;
      d = e - yi;
    } else {
      const e = Math.exp(-Math.abs(zi));
      s += max(zi, 0) - zi * yi + Math.log1p(e);
      d = (zi >= 0 ? 1 / (1 + e) : e / (1 + e)) - yi;
    }
    if (grad != 0) {
      const p = grad + at<T>(i);
      store<T>(p, load<T>(p) + <T>((dloss * d) / n));
    }
  }
  return s / n;
}

function dispatch(kind: i32, desc: usize, z: usize, y: usize, grad: usize, dloss: f64): f64 {
  return load<i32>(desc) == 1 ? mean<f32>(kind, desc, z, y, grad, dloss) : mean<f64>(kind, desc, z, y, grad, dloss);
}

/** Mean squared error of prediction z against y; ADDS dloss * 2 (z - y) / n to grad (unless grad is 0). */
export function nn_mse_loss(desc: usize, z: usize, y: usize, grad: usize, dloss: f64): f64 {
  return dispatch(MSE, desc, z, y, grad, dloss);
}

/** Mean Poisson NLL exp(z) - y z of log-rates z; ADDS dloss * (exp(z) - y) / n to grad (unless grad is 0). */
export function nn_poisson_nll_loss(desc: usize, z: usize, y: usize, grad: usize, dloss: f64): f64 {
  return dispatch(POISSON, desc, z, y, grad, dloss);
}

/** Mean binary cross-entropy of logits z against y in [0, 1]; ADDS dloss * (sigmoid(z) - y) / n to grad (unless grad is 0). */
export function nn_bce_logits_loss(desc: usize, z: usize, y: usize, grad: usize, dloss: f64): f64 {
  return dispatch(BCE, desc, z, y, grad, dloss);
}
