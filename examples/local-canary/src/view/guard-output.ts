import type { ViewOutput } from './create-terminal-view.js';

/** An output that stops writing once its reader has gone. */
export interface GuardedOutput extends ViewOutput {
  /** True once the reader closed the pipe (EPIPE): nothing is written any more. */
  readonly closed: boolean;
}

export interface GuardOutputOptions {
  /** Called once when the reader closes the pipe (`pnpm demo | head -3`). */
  onClosed: () => void;
  /** Any other write error: the caller fails with it (never swallowed). */
  onError: (error: Error) => void;
}

/**
 * Wraps stdout so that a closed pipe stops the demo quietly instead of an
 * unhandled `EPIPE` with a stack trace: the first EPIPE calls `onClosed`,
 * and later writes are dropped (no one reads them). Columns and rows are
 * read through, so the live view still fits a terminal that was resized.
 */
export function guardOutput(stream: NodeJS.WriteStream, options: GuardOutputOptions): GuardedOutput {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      if (closed) return;
      closed = true;
      options.onClosed();
      return;
    }
    options.onError(error);
  });
  return {
    get closed() {
      return closed;
    },
    get columns() {
      return stream.columns;
    },
    get rows() {
      return stream.rows;
    },
    write(text: string) {
      if (closed || stream.destroyed) return false;
      return stream.write(text);
    },
  };
}
