// MaxPool1d, channels-first: input (B, C, L) -> output (B, C, L_out), no padding, dilation 1,
// ceil_mode off: L_out = floor((L - K) / S) + 1, so a tail shorter than a window is dropped, as in
// torch. Window j covers input positions j*S ... j*S + K - 1. The first maximum wins ties and a NaN
// wins over numbers (torch's CPU kernel: `val > max || isnan(val)`).
// Descriptor (i32): [0] dtype (0 f64, 1 f32), [1] B, [2] C, [3] L, [4] K, [5] S (stride; torch's
// default is S = K).
// Cache: one i32 per output element, the input position (0 ... L-1) of the window's maximum;
// forward writes it, backward reads it. `nn_maxpool1d_cache_size` gives its size in bytes.
// see: torch.nn.MaxPool1d, aten/src/ATen/native/cpu/MaxPoolKernel.cpp

/** Byte offset of element i of a T buffer. */
function at<T>(i: i32): usize {
  return (<usize>i) << alignof<T>();
}

function field(desc: usize, i: i32): i32 {
  return load<i32>(desc + ((<usize>i) << 2));
}

/** Output length floor((L - K) / S) + 1 (0 when L < K). */
export function nn_maxpool1d_out_len(desc: usize): i32 {
  const len = field(desc, 3);
  const k = field(desc, 4);
  return len < k ? 0 : (len - k) / field(desc, 5) + 1;
}

/** Bytes of the argmax cache: 4 * B * C * L_out. */
export function nn_maxpool1d_cache_size(desc: usize): i32 {
  return 4 * field(desc, 1) * field(desc, 2) * nn_maxpool1d_out_len(desc);
}

function forward<T>(desc: usize, inp: usize, out: usize, cache: usize): void {
  const rows = field(desc, 1) * field(desc, 2);
  const len = field(desc, 3);
  const k = field(desc, 4);
  const stride = field(desc, 5);
  const lout = nn_maxpool1d_out_len(desc);
  for (let r = 0; r < rows; r++) {
    const src = inp + at<T>(r * len);
    for (let j = 0; j < lout; j++) {
      const start = j * stride;
      let best = start;
      let m = load<T>(src + at<T>(start));
      for (let i = start + 1; i < start + k; i++) {
        const v = load<T>(src + at<T>(i));
        if (v > m || Number.isNaN(<f64>v)) {
          m = v;
          best = i;
          if (Number.isNaN(<f64>v)) break;
        }
      }
      const o = r * lout + j;
      store<T>(out + at<T>(o), m);
      store<i32>(cache + ((<usize>o) << 2), best);
    }
  }
}

function backward<T>(desc: usize, dout: usize, din: usize, cache: usize): void {
  const rows = field(desc, 1) * field(desc, 2);
  const len = field(desc, 3);
  const lout = nn_maxpool1d_out_len(desc);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < lout; j++) {
      const o = r * lout + j;
      const p = din + at<T>(r * len + load<i32>(cache + ((<usize>o) << 2)));
      store<T>(p, load<T>(p) + load<T>(dout + at<T>(o)));
    }
  }
}

/** out[b, c, j] = max of in[b, c, j*S ... j*S + K - 1]; records each maximum's position in `cache`. */
export function nn_maxpool1d_forward(desc: usize, inp: usize, out: usize, cache: usize): void {
  if (load<i32>(desc) == 1) forward<f32>(desc, inp, out, cache);
  else forward<f64>(desc, inp, out, cache);
}

/** ADDS dout[b, c, j] to din at the position of window j's maximum (from the forward's `cache`). */
export function nn_maxpool1d_backward(desc: usize, dout: usize, din: usize, cache: usize): void {
  if (load<i32>(desc) == 1) backward<f32>(desc, dout, din, cache);
  else backward<f64>(desc, dout, din, cache);
}
