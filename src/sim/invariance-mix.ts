import type { Core } from "../core/memory.js";
import { D_U, type DenseLayer, type MixingMap } from "./invariance-design.js";

/**
 * Z = g(U) for n rows (spec §2.3), in the core: U is n x 4 and Z n x dz, both column-major. The
 * monomials, the LeakyReLU and the argmax are kernels of assembly/mixing.ts; every dense layer is
 * one gemv_n per output column.
 */
export function applyMixing(
  core: Core,
  map: MixingMap,
  slope: number,
  n: number,
  u: Float64Array,
  z: Float64Array,
): void {
  core.scoped(mixInCore, core, map, slope, n, u, z);
}

function mixInCore(core: Core, map: MixingMap, slope: number, n: number, u: Float64Array, z: Float64Array): void {
  const pz = core.target(z);
  const pu = core.at(u);
  const [first, second] = map.layers as [DenseLayer, DenseLayer | undefined];
  if (map.kind === "linear") {
    denseInCore(core, n, pu, first, pz);
  } else if (map.degree > 0) {
    const m = core.alloc(n * first.in);
    core.wasm.mix_monomials(n, D_U, map.degree, pu, m);
    denseInCore(core, n, m, first, pz);
  } else {
    const h = core.alloc(n * first.out);
    denseInCore(core, n, pu, first, h);
    core.wasm.mix_leaky_relu(n * first.out, h, slope);
    const last = second as DenseLayer;
    if (map.kind === "invmlp") {
      denseInCore(core, n, h, last, pz);
    } else {
      const o = core.alloc(n * last.out);
      denseInCore(core, n, h, last, o);
      core.wasm.mix_argmax3(n, last.out / 3, o, pz);
    }
  }
  core.deliver(pz, z);
}

/** out[:, j] = bias_j + in · w[j, :] for every output j: in n x layer.in and out n x layer.out, column-major. */
function denseInCore(core: Core, n: number, pin: number, layer: DenseLayer, pout: number): void {
  const w = core.put(layer.w);
  const { bias } = layer;
  for (let j = 0; j < layer.out; j++) {
    const y = pout + j * n * 8;
    if (bias) core.view(y, n).fill(bias[j] as number);
    core.wasm.gemv_n(n, layer.in, 1, pin, n, w + j * layer.in * 8, bias ? 1 : 0, y);
  }
}
