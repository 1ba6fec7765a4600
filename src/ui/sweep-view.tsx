import { Box, Text } from "ink";
import { clock, formatRate, type Progress } from "./progress.js";

/** A text progress bar of `width` cells. */
export function bar(fraction: number, width = 30): string {
  const full = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `${"█".repeat(full)}${"░".repeat(width - full)}`;
}

/** A colour, or none when NO_COLOR is set (https://no-color.org). */
function color(name: string): string | undefined {
  return process.env.NO_COLOR ? undefined : name;
}

/** The live sweep screen: overall bar, rate, elapsed and ETA, worker use, cells in flight, recent failures. */
export function SweepView({ state }: { state: Progress }) {
  const fraction = state.total > 0 ? state.done / state.total : 0;
  const active = state.cells.filter((c) => c.running > 0).slice(0, 8);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>mrsweep sweep</Text> {state.run} · {state.threads} threads
      </Text>
      <Text>
        <Text color={color("green")}>{bar(fraction)}</Text> {state.done}/{state.total} ({(100 * fraction).toFixed(1)}%)
        · {formatRate(state.rate, "replicates")} · elapsed {clock(state.elapsed)} · eta {clock(state.eta)}
      </Text>
      <Text dimColor>
        workers busy {(100 * state.utilization).toFixed(0)}%{state.resumed > 0 ? ` · resumed ${state.resumed}` : ""}
        {state.parts > 0 ? ` · ${state.parts} fit pieces done` : ""}
      </Text>
      {active.length > 0 && <Text bold>cells in flight</Text>}
      {active.map((c) => (
        <Text key={c.id}>
          {"  "}
          {c.id} {c.label.padEnd(32)} {bar(c.done / c.tasks, 12)} {c.done}/{c.tasks} · {c.running} running
        </Text>
      ))}
      {state.failures > 0 && <Text color={color("red")}>failures: {state.failures}</Text>}
      {state.recentFailures.map((f) => (
        <Text key={`${f.cellId}:${f.replicate}:${f.estimator}`} color={color("red")}>
          {"  "}
          {f.cellId} replicate {f.replicate} (seed {f.seed}) {f.estimator}: {f.message}
        </Text>
      ))}
      {state.notes.map((n) => (
        <Text key={n} dimColor>
          note: {n}
        </Text>
      ))}
      {state.stopping && <Text color={color("yellow")}>stopping: {state.stopping}; finishing the tasks in flight</Text>}
      {state.phase && <Text>{state.phase}</Text>}
    </Box>
  );
}
