import { fit } from "../src/estimators/fit.js";
import { simulate } from "../src/sim/simulate.js";
import { getColumn } from "../src/data/frame.js";
for (const seed of [1, 2, 3]) {
  const sim = simulate("study", { n: 5000, L: 10, pi_fixed: 0.4, maf_fixed: 0.3, delta: [0.2, 0, 0, 0, 0, 0, 0, 0, 0, 0], seed });
  const truth = { beta: 0.3, betaIndividual: Float64Array.from(sim.meta.beta_individual as number[]) };
  for (const preset of ["study-small", "package-default", "linear", "fast"]) {
    const t0 = performance.now();
    const [row] = fit(sim.data, sim.roles, { estimators: ["ctx_tsls"], estimatorParams: { ctx_tsls: { preset } }, truth, seed });
    const dt = performance.now() - t0;
    const b = row!.perPerson!.beta; const age = getColumn(sim.data, "age")!;
    const n = b.length; let mb = 0, ma = 0; for (let i = 0; i < n; i++) { mb += b[i]!; ma += age[i]!; } mb /= n; ma /= n;
    let sxy = 0, sxx = 0; for (let i = 0; i < n; i++) { sxy += (b[i]! - mb) * (age[i]! - ma); sxx += (age[i]! - ma) ** 2; }
    const sdAge = Math.sqrt(sxx / n);
    console.log(seed, preset.padEnd(16), "mean", row!.estimate.toFixed(4), "slope/sd(C1)", (sxy / sxx * sdAge).toFixed(4), "person_mse", row!.extras.person_mse!.toFixed(5), "epochs", row!.extras.epochs, row!.status, dt.toFixed(0), "ms");
  }
}
