// A bump allocator over linear memory. The TypeScript side owns lifetimes: it takes a mark,
// allocates the buffers of one computation, and resets to the mark afterwards. Kernels never
// allocate, so the runtime is the stub and nothing else touches the heap.

const ALIGN: usize = 16;

let top: usize = (__heap_base + ALIGN - 1) & ~(ALIGN - 1);

/**
 * Allocates `bytes` (16-byte aligned); returns 0 when memory is exhausted. Memory grows by at least
 * half its size when it must grow, so growth (which detaches the caller's typed-array views) stays
 * rare as a worker's working set settles.
 */
export function alloc(bytes: usize): usize {
  const ptr = top;
  const end = (ptr + bytes + ALIGN - 1) & ~(ALIGN - 1);
  const have = <usize>memory.size();
  const need = (end + 0xffff) >>> 16;
  if (need > have) {
    const ample = max(need - have, have >>> 1);
    if (memory.grow(<i32>ample) < 0 && memory.grow(<i32>(need - have)) < 0) return 0;
  }
  top = end;
  return ptr;
}

/** The current top of the arena, to pass to `reset` later. */
export function mark(): usize {
  return top;
}

/** Frees everything allocated since `m` was taken. */
export function reset(m: usize): void {
  top = m;
}
