import type { RolloutEvent } from '@gradual/core';
import type { DemoSnapshot } from '../demo/demo-report.js';
import { renderLiveView } from './render-live-view.js';

export interface TerminalView {
  update(snapshot: DemoSnapshot): void;
  event(event: RolloutEvent): void;
}

/**
 * On a terminal, redraws the live view in place (cursor up, clear below).
 * Otherwise (a pipe, a CI log) prints one plain line per event and per new
 * measurement, nothing else, so that logs stay readable and diffable.
 */
export function createTerminalView(output: NodeJS.WriteStream | NodeJS.WritableStream, live: boolean): TerminalView {
  let drawn = 0;
  const seen = new Set<string>();
  return {
    update(snapshot) {
      if (live) {
        // A wrapped line would break the cursor-up redraw: cut each line to the terminal's width.
        const columns = 'columns' in output && output.columns ? output.columns : 200;
        const lines = renderLiveView(snapshot).map((line) => (line.length >= columns ? `${line.slice(0, columns - 2)}…` : line));
        const up = drawn > 0 ? `\x1b[${drawn}A` : '';
        output.write(`${up}\x1b[J${lines.join('\n')}\n`);
        drawn = lines.length;
        return;
      }
      for (const m of snapshot.measurements) {
        const key = `${m.run}/${m.metric}/${m.finishedAt}`;
        if (seen.has(key) || !m.finishedAt) continue;
        seen.add(key);
        output.write(`${m.finishedAt} measurement ${m.metric} ${m.value ?? m.message ?? ''} → ${m.phase}\n`);
      }
    },
    event(event) {
      if (!live) output.write(`${event.at} ${event.type} ${event.reason}: ${event.message}\n`);
    },
  };
}
