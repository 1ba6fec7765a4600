/** Escapes text for HTML. */
function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}

const SHOWN = [
  "cell_id",
  "estimator",
  "interval",
  "n_ok",
  "n_failed",
  "bias",
  "bias_mcse",
  "emp_se",
  "mse",
  "mse_mcse",
  "coverage",
  "coverage_mcse",
  "best",
];

function fmt(v: string): string {
  const x = Number(v);
  return v === "NA" || !Number.isFinite(x) || Number.isInteger(x) ? v : x.toPrecision(4);
}

/** The one-page report: configuration, summary table (grid axes + the main measures) and every figure. */
export function reportHtml(
  config: Record<string, unknown>,
  summary: string[][],
  figures: ReadonlyArray<{ file: string; title: string }>,
): string {
  const [head, ...rows] = summary;
  const header = head ?? [];
  const grid = Object.keys((config.grid as Record<string, unknown>) ?? {});
  const cols = [...SHOWN.slice(0, 1), ...grid, ...SHOWN.slice(1)].filter((c) => header.includes(c));
  const idx = cols.map((c) => header.indexOf(c));
  const table = [
    `<tr>${cols.map((c) => `<th>${esc(c)}</th>`).join("")}</tr>`,
    ...rows.map(
      (r) =>
        `<tr${r.at(-1) === "1" ? ' class="best"' : ""}>${idx.map((i) => `<td>${esc(fmt(r[i] ?? ""))}</td>`).join("")}</tr>`,
    ),
  ].join("\n");
  const figs = figures
    .map(
      (f) =>
        `<figure><img src="figures/${esc(f.file)}" alt="${esc(f.title)}"><figcaption>${esc(f.title)}</figcaption></figure>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mrsweep report</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 1400px; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
tr.best td { font-weight: bold; background: #eef7ee; }
figure { margin: 1.5rem 0; }
img { max-width: 100%; }
pre { background: #f6f6f6; padding: 0.5rem; overflow-x: auto; }
</style></head>
<body>
<h1>mrsweep report</h1>
<h2>Configuration</h2>
<pre>${esc(JSON.stringify(config, null, 2))}</pre>
<h2 id="summary">Summary</h2>
<p>Bias, MSE and coverage with their Monte Carlo standard errors; the lowest MSE in each cell in bold. All measures are in summary.csv.</p>
<table id="summary-table">
${table}
</table>
<h2>Figures</h2>
${figs}
</body></html>
`;
}
