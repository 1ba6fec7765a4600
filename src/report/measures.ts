/**
 * Performance measures against one grid axis, for any grid and any DGP: a line per estimator (and
 * per measure where a figure shows two), ±1.96 MCSE bars, a panel per combination of the other
 * axes' values. Points are dodged sideways per estimator so that coinciding estimators stay visible.
 */

import { INTERVAL_KINDS, type IntervalKind, isConfidenceInterval } from "../estimators/types.js";
import { colour, drawnIn, ERROR_BARS, logTicks, SCHEMA, type Spec, shape } from "./style.js";
import type { Axis, SummaryRow } from "./summary-rows.js";

/** Whether summary.csv's interval column names a confidence interval (coverage is drawn only for those). */
function isConfidenceIntervalName(name: string): boolean {
  return (INTERVAL_KINDS as readonly string[]).includes(name) && isConfidenceInterval(name as IntervalKind);
}

/** A measure figure: summary.csv columns drawn (each with `<column>_mcse`), the y scale, a reference line. */
export interface MeasurePlot {
  /** File name prefix: `<key>-vs-<axis>.svg`. */
  key: string;
  title: string;
  yTitle: string;
  series: ReadonlyArray<{ column: string; label: string }>;
  /** Other summary.csv columns the figure needs. */
  needs: readonly string[];
  reference?: number;
  /** A line under the title saying what is drawn. */
  note?: string;
  /** Proportions: bars are clipped to [0, 1] and so is the axis. */
  proportion?: boolean;
  log?: boolean;
  keep?: (r: SummaryRow) => boolean;
}

/** The figures drawn against every axis with more than one value. */
export const MEASURE_PLOTS: readonly MeasurePlot[] = [
  {
    key: "bias",
    title: "Bias",
    yTitle: "Bias (mean estimate − true β)",
    series: [{ column: "bias", label: "bias" }],
    needs: [],
    reference: 0,
  },
  {
    key: "se",
    title: "Empirical SE and model SE",
    yTitle: "Standard error",
    series: [
      { column: "emp_se", label: "empirical SE" },
      { column: "model_se", label: "model SE" },
    ],
    needs: [],
    note: "empirical SE: SD of the estimates (solid line, filled marks); model SE: √(mean SE²) (dashed, open marks)",
  },
  {
    key: "coverage",
    title: "Coverage of the 95% confidence interval",
    yTitle: "Coverage",
    series: [{ column: "coverage", label: "coverage" }],
    needs: ["interval"],
    reference: 0.95,
    proportion: true,
    note: "only estimators whose interval is a confidence interval (summary.csv's interval column)",
    keep: (r) => isConfidenceIntervalName(r.interval),
  },
  {
    key: "rejection",
    title: "Rejection rate at α = 0.05 (power; type I error where β = 0)",
    yTitle: "Rejection rate",
    series: [{ column: "rejection", label: "rejection" }],
    needs: [],
    reference: 0.05,
    proportion: true,
  },
];

/** MSE against n on a log scale: the study's chart. */
export const MSE_PLOT: MeasurePlot = {
  key: "mse",
  title: "MSE",
  yTitle: "MSE (log scale)",
  series: [{ column: "mse", label: "MSE" }],
  needs: [],
  log: true,
};

/** The summary.csv columns a figure reads. */
export function columnsOf(plot: MeasurePlot): string[] {
  return [...plot.series.flatMap((s) => [s.column, `${s.column}_mcse`]), ...plot.needs];
}

/** Where an estimator's points sit on the x axis: the value, moved sideways by its place among the drawn estimators. */
function position(axis: Axis, value: string, k: number, step: number): number {
  if (!axis.numeric) return axis.values.indexOf(value) + k * step;
  const nums = axis.values.map(Number);
  const [min, max] = [Math.min(...nums), Math.max(...nums)];
  if (axis.log) return Number(value) * Math.exp(k * step * Math.log(max / min));
  return Number(value) + k * step * (max - min);
}

/** The x encoding: the grid values as ticks, the axis padded to hold the dodged points. */
function xEncoding(axis: Axis, spread: number): Spec {
  const title = axis.name;
  if (!axis.numeric) {
    const pad = 0.5;
    return {
      field: "x",
      type: "quantitative",
      title,
      scale: { domain: [-pad, axis.values.length - 1 + pad], nice: false, zero: false },
      axis: {
        values: axis.values.map((_, i) => i),
        labelExpr: `${JSON.stringify(axis.values)}[datum.value]`,
        grid: false,
      },
    };
  }
  const nums = axis.values.map(Number);
  const [min, max] = [Math.min(...nums), Math.max(...nums)];
  const pad = spread + 0.06;
  const domain = axis.log
    ? [min * Math.exp(-pad * Math.log(max / min)), max * Math.exp(pad * Math.log(max / min))]
    : [min - pad * (max - min), max + pad * (max - min)];
  return {
    field: "x",
    type: "quantitative",
    title,
    scale: axis.log ? { type: "log", domain, nice: false } : { type: "linear", domain, nice: false, zero: false },
    axis: { values: nums, format: "~g", grid: false },
  };
}

/** One data record per drawn point; the measure's value and MCSE exactly as in summary.csv. */
function records(plot: MeasurePlot, rows: readonly SummaryRow[], axis: Axis, others: readonly Axis[], drawn: string[]) {
  // A slot per estimator and measure (the SE figure's two measures sit side by side too).
  const slots = drawn.length * plot.series.length;
  const step = Math.min(axis.numeric ? 0.04 : 0.12, (axis.numeric ? 0.3 : 0.6) / slots);
  const values = rows.flatMap((r) =>
    plot.series
      .filter((s) => Number.isFinite(r.m[s.column]))
      .map((s) => {
        const value = r.m[s.column] as number;
        const mcse = r.m[`${s.column}_mcse`] ?? Number.NaN;
        const half = Number.isFinite(mcse) ? 1.96 * mcse : 0;
        const clip = (v: number) => (plot.proportion ? Math.min(1, Math.max(0, v)) : v);
        const k = drawn.indexOf(r.estimator) * plot.series.length + plot.series.indexOf(s) - (slots - 1) / 2;
        return {
          cell_id: r.cell,
          ...r.values,
          estimator: r.estimator,
          series: s.label,
          column: s.column,
          value,
          mcse,
          lo: clip(value - half),
          hi: clip(value + half),
          x: position(axis, r.values[axis.name] as string, k, step),
          panel: others.map((a) => `${a.name} = ${r.values[a.name]}`).join(", "),
        };
      }),
  );
  return { values, spread: (step * (slots - 1)) / 2 };
}

/** A log axis cannot show a bar reaching 0 or below: the axis starts below the smallest value and such bars stop there. */
function logFloor(values: Array<{ value: number; lo: number }>): number {
  const lowest = Math.min(...values.map((v) => Math.max(v.lo, v.value / 2)));
  return lowest / 1.2;
}

/**
 * `plot`'s measure against `axis`, a panel per combination of the `others` axes' values; null when
 * no estimator has a value to draw. `estimators` fixes colours and the legend's order.
 */
export function measureVsAxis(
  plot: MeasurePlot,
  rows: readonly SummaryRow[],
  axis: Axis,
  others: readonly Axis[],
  estimators: readonly string[],
): Spec | null {
  const kept = rows.filter((r) => (plot.keep ? plot.keep(r) : true));
  const drawn = drawnIn(
    estimators,
    kept.filter((r) => plot.series.some((s) => Number.isFinite(r.m[s.column]))).map((r) => r.estimator),
  );
  if (drawn.length === 0) return null;
  const { values, spread } = records(plot, kept, axis, others, drawn);
  let yScale: Spec = plot.proportion ? { domain: [0, 1] } : { zero: false };
  let yAxis: Spec = {};
  if (plot.log) {
    const floor = logFloor(values);
    for (const v of values) if (v.lo < floor) v.lo = floor;
    const top = Math.max(...values.map((v) => v.hi));
    yScale = { type: "log", domain: [floor, top * 1.2], nice: false };
    yAxis = { axis: { values: logTicks(floor, top * 1.2), format: "~g" } };
  }
  const x = xEncoding(axis, spread);
  const y = { field: "value", type: "quantitative", title: plot.yTitle, scale: yScale, ...yAxis };
  const color = colour(estimators, drawn);
  const labels = plot.series.map((s) => s.label);
  const two = labels.length > 1;
  const dash = two ? { strokeDash: { field: "series", type: "nominal", title: "Measure", sort: labels } } : {};
  const points = (label: string, filled: boolean): Spec => ({
    transform: two ? [{ filter: { field: "series", equal: label } }] : [],
    mark: { type: "point", filled, size: 45, opacity: 1, strokeWidth: 1.5 },
    encoding: { x, y, color, shape: shape(estimators, drawn) },
  });
  const layer: Spec[] = [
    { mark: { type: "line", strokeWidth: 1.5 }, encoding: { x, y, color, detail: { field: "series" }, ...dash } },
    {
      mark: { type: "errorbar", ticks: { size: 5 } },
      encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color, detail: { field: "series" } },
    },
    points(labels[0] as string, true),
    ...(two ? [points(labels[1] as string, false)] : []),
  ];
  if (plot.reference !== undefined)
    layer.push({
      mark: { type: "rule", strokeDash: [4, 4], color: "black" },
      encoding: { y: { datum: plot.reference } },
    });
  const panels = [...new Set(values.map((v) => v.panel))];
  const subtitle = [
    ...(plot.note ? [plot.note] : []),
    ...(others.length ? [`one panel per ${others.map((a) => a.name).join(" × ")}`] : []),
    `${ERROR_BARS}; points moved sideways per estimator so none hides another`,
    ...(plot.reference !== undefined ? [`dashed line: ${plot.reference}`] : []),
  ];
  const head = {
    $schema: SCHEMA,
    title: { text: `${plot.title} against ${axis.name}`, subtitle, offset: 12 },
    data: { values },
  };
  if (others.length === 0) return { ...head, width: 360, height: 240, layer };
  return {
    ...head,
    facet: { field: "panel", type: "nominal", title: null, sort: panels, header: { labelFontSize: 12 } },
    columns: Math.min(3, panels.length),
    spec: { width: 240, height: 170, layer },
  };
}
