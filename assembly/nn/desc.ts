// Reading the descriptor and hyperparameter blocks every assembly/nn kernel takes. A descriptor is
// a block of i32: desc[0] is the dtype (0 = f64, 1 = f32), the fields after it belong to the family.
// A hyper block is a block of f64 (eps, momentum, lr, ...), in the family's documented order.

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

/** Elements of T in one v128 (2 for f64, 4 for f32). */
export function lanes<T>(): i32 {
  return 16 >> alignof<T>();
}
