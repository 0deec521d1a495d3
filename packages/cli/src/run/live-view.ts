import type { RolloutSpec, RolloutStatus } from '@gradual/core';
import { createLogUpdate } from 'log-update';
import { formatLiveBlock } from './format-live-block.js';

/** What `gradual run` shows while a rollout runs. */
export interface LiveView {
  /** One event line, kept in the scrollback. */
  line(text: string): void;
  /** The status changed. */
  status(status: RolloutStatus, elapsedMs: number): void;
  /** Leaves the last block on screen. */
  done(): void;
}

/**
 * On a terminal: event lines scroll above a block redrawn in place
 * (log-update). Elsewhere (a CI log, a pipe): plain lines only, so the log
 * reads top to bottom.
 */
export function createLiveView(input: {
  spec: RolloutSpec;
  write: (text: string) => void;
  terminal?: NodeJS.WriteStream | undefined;
}): LiveView {
  const terminal = input.terminal;
  if (!terminal) return { line: (text) => input.write(`${text}\n`), status: () => {}, done: () => {} };
  const update = createLogUpdate(terminal, { showCursor: true });
  let block = formatLiveBlock({ spec: input.spec, status: undefined, elapsedMs: 0, width: terminal.columns });
  return {
    line(text) {
      update.clear();
      terminal.write(`${text}\n`);
      update(block);
    },
    status(status, elapsedMs) {
      block = formatLiveBlock({ spec: input.spec, status, elapsedMs, width: terminal.columns });
      update(block);
    },
    done() {
      update.done();
    },
  };
}
