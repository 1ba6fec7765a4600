import { readFileSync } from "node:fs";
import { fixturePath } from "./fixtures.js";

/** The outcome of a finite-difference check: the worst relative error and where it was. */
export interface GradCheck {
  worst: number;
  at: number;
  analytic: number;
  numeric: number;
}

/**
 * Compares an analytic gradient with central differences of `loss` at `x`, one coordinate at a
 * time (x is perturbed in place and restored). The error of coordinate i is
 * |analytic - numeric| / max(|analytic|, |numeric|, `floor`): relative where the gradient is
 * large, absolute (over `floor`) where it is near zero. f64: h = 1e-6, tolerance 1e-6; f32 kernels
 * are checked in f64 arithmetic of their f32 outputs with h = 1e-2 and tolerance 1e-3.
 */
export function gradCheck(
  loss: (x: Float64Array) => number,
  x: Float64Array,
  analytic: ArrayLike<number>,
  h = 1e-6,
  floor = 1e-3,
): GradCheck {
  let worst: GradCheck = { worst: 0, at: -1, analytic: 0, numeric: 0 };
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i] as number;
    x[i] = x0 + h;
    const up = loss(x);
    x[i] = x0 - h;
    const down = loss(x);
    x[i] = x0;
    const numeric = (up - down) / (2 * h);
    const a = analytic[i] as number;
    const err = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), floor);
    if (!(err <= worst.worst)) worst = { worst: err, at: i, analytic: a, numeric };
  }
  return worst;
}

/** A committed PyTorch fixture: named cases, each a map of flat (row-major) float64 arrays and numbers. */
export type NnFixture = Record<string, Record<string, number[] | number>>;

/** Reads test/fixtures/nn/<family>.json, written by test/fixtures/nn/make_<family>.py through torch_fixture.py. */
export function nnFixture(family: string): NnFixture {
  return JSON.parse(readFileSync(fixturePath("nn", `${family}.json`), "utf8")) as NnFixture;
}
