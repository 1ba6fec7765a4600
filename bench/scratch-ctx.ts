import { getCore } from "../src/core/load.js";
import { trainEncoder, type EncoderConfig } from "../src/estimators/encoder.js";
import seedrandom from "seedrandom";
const core = getCore();
const n = 5000, p = 10;
const r = seedrandom.xor4096("d");
const c = new Float64Array(n * p), x = new Float64Array(n), y = new Float64Array(n);
const gauss = () => { let s = 0; for (let k = 0; k < 12; k++) s += r.double(); return s - 6; };
for (let i = 0; i < n; i++) { for (let j = 0; j < p; j++) c[i * p + j] = gauss(); x[i] = gauss(); y[i] = (0.3 + 0.2 * c[i * p]!) * x[i]! + 0.1 * c[i*p+1]! + gauss(); }
for (const [name, cfg] of [["study-small", { width: 8, layers: 3 }], ["package-default", { width: 25, layers: 3 }]] as const) {
  const full: EncoderConfig = { lr: 1e-3, batch_size: 1, patience: 1, max_epochs: 1000, val_fraction: 0.2, reshuffle: false, n_bootstraps: 1, archetypes: 0, ...cfg };
  const t0 = performance.now();
  const f = trainEncoder(core, { n, p, c, x, y }, full, 1);
  const dt = performance.now() - t0;
  const steps = f.epochs[0]! * 4000;
  // slope of beta on c0
  let sxy = 0, sxx = 0, mb = 0, mc = 0; for (let i = 0; i < n; i++) { mb += f.beta[i]!; mc += c[i*p]!; } mb /= n; mc /= n;
  for (let i = 0; i < n; i++) { sxy += (f.beta[i]! - mb) * (c[i*p]! - mc); sxx += (c[i*p]! - mc) ** 2; }
  console.log(name, "epochs", f.epochs[0], "val", f.valMse[0], "mean beta", mb, "slope", sxy / sxx, "ms", dt.toFixed(0), "us/step", (dt * 1000 / steps).toFixed(2));
}
