import { type InvReprShape, invReprLayout } from "../../src/models/inv-repr.js";

/**
 * inv_repr's forward pass written out in plain TypeScript for tests (no core): the encoder and the
 * MLP decoder of one row, from the flat parameters in the layout's order.
 */
export function invReprForward(shape: InvReprShape, params: ArrayLike<number>) {
  const l = invReprLayout(shape);
  const q = shape.pv + shape.pw;
  const lin = (x: number[], wOff: number, bOff: number, out: number) =>
    Array.from({ length: out }, (_, o) =>
      x.reduce((s, xi, i) => s + xi * (params[wOff + o * x.length + i] as number), params[bOff + o] as number),
    );
  const relu = (x: number[]) => x.map((v) => Math.max(0, v));
  const lnRelu = (x: number[], gOff: number, eOff: number) => {
    const mean = x.reduce((a, b) => a + b) / x.length;
    const v = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
    return relu(
      x.map(
        (xi, i) => ((xi - mean) / Math.sqrt(v + 1e-5)) * (params[gOff + i] as number) + (params[eOff + i] as number),
      ),
    );
  };
  const encode = (row: number[]) => {
    const h1 = lnRelu(lin(row, l.w1, l.b1, shape.width), l.g1, l.e1);
    const h2 = lnRelu(lin(h1, l.w2, l.b2, shape.width), l.g2, l.e2);
    return lin(h2, l.w3, l.b3, q);
  };
  const decodeMlp = (lat: number[]) => {
    const h1 = relu(lin(lat, l.wd1, l.bd1, shape.width));
    const h2 = relu(lin(h1, l.wd2, l.bd2, shape.width));
    return lin(h2, l.wd3, l.bd3, shape.inputs);
  };
  return { encode, decodeMlp };
}

/** Mean over rows and columns of (dec(enc(z)) − z)² for the MLP decoder, z n x dz row-major. */
export function mlpReconstructionMse(shape: InvReprShape, params: ArrayLike<number>, z: ArrayLike<number>, n: number) {
  const f = invReprForward(shape, params);
  const d = shape.inputs;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: d }, (_, j) => z[i * d + j] as number);
    const rec = f.decodeMlp(f.encode(row));
    for (let j = 0; j < d; j++) sse += ((rec[j] as number) - (row[j] as number)) ** 2;
  }
  return sse / (n * d);
}
