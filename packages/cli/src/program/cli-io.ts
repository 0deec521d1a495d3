/** Where the commands write, and what they know of the terminal; the process's own by default, a buffer in tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdout is a terminal: colours and the live view. */
  isTTY: boolean;
  /** stdout itself when it is a terminal, for views redrawn in place. */
  terminal?: NodeJS.WriteStream | undefined;
  /** Terminal width, when known. */
  columns?: number | undefined;
  /** Fires on SIGINT / SIGTERM. */
  signal: AbortSignal;
  /** Set by the command that ran. */
  exitCode: number;
}
