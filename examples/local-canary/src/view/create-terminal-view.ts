import type { RolloutEvent } from '@gradual/core';
import type { DemoSnapshot } from '../demo/demo-report.js';
import { fitLiveView } from './fit-live-view.js';

/** Where the view writes: a stream, and on a terminal its size. */
export interface ViewOutput {
  write(text: string): unknown;
  readonly columns?: number;
  readonly rows?: number;
}

export interface TerminalView {
  update(snapshot: DemoSnapshot): void;
  event(event: RolloutEvent): void;
}

/**
 * On a terminal, redraws the live view in place (cursor up, clear below),
 * cut to the terminal's width and to one line less than its height (a
 * taller frame would scroll and flood the scrollback). Otherwise (a pipe, a
 * CI log, or a terminal too small for the view) prints one plain line per
 * event and per new measurement, in the order they finished, nothing else,
 * so that logs stay readable and diffable.
 */
export function createTerminalView(output: ViewOutput, live: boolean): TerminalView {
  let drawn = 0;
  let plain = !live;
  const seen = new Set<string>();
  const printNewMeasurements = (snapshot: DemoSnapshot) => {
    const fresh = snapshot.measurements
      .filter((m) => m.finishedAt && !seen.has(`${m.run}/${m.metric}/${m.finishedAt}`))
      .sort((a, b) => (a.finishedAt! < b.finishedAt! ? -1 : a.finishedAt! > b.finishedAt! ? 1 : 0));
    for (const m of fresh) {
      seen.add(`${m.run}/${m.metric}/${m.finishedAt}`);
      output.write(`${m.finishedAt} measurement ${m.metric} ${m.value ?? m.message ?? ''} → ${m.phase}\n`);
    }
  };
  return {
    update(snapshot) {
      if (!plain) {
        const columns = output.columns || 200;
        const fitted = fitLiveView(snapshot, (output.rows || 50) - 1);
        if (fitted) {
          // A wrapped line would break the cursor-up redraw: cut each line to the terminal's width.
          const lines = fitted.map((line) => (line.length >= columns ? `${line.slice(0, columns - 2)}…` : line));
          const up = drawn > 0 ? `\x1b[${drawn}A` : '';
          output.write(`${up}\x1b[J${lines.join('\n')}\n`);
          drawn = lines.length;
          return;
        }
        // Too small a terminal for the view: clear the last frame and go on in plain lines.
        output.write(
          `${drawn > 0 ? `\x1b[${drawn}A` : ''}\x1b[J(the terminal is too small for the live view: plain lines follow)\n`,
        );
        plain = true;
      }
      printNewMeasurements(snapshot);
    },
    event(event) {
      if (plain) output.write(`${event.at} ${event.type} ${event.reason}: ${event.message}\n`);
    },
  };
}
