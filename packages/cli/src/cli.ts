import { createRequire } from 'node:module';
import { CommanderError } from 'commander';
import { exitCodes } from './exit-codes.js';
import type { CliIo } from './program/cli-io.js';
import { createProgram } from './program/create-program.js';
import { describeError } from './program/describe-error.js';

// dist/cli.js and src/cli.ts both sit one folder below package.json.
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const stop = new AbortController();
const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
  terminal: process.stdout.isTTY === true ? process.stdout : undefined,
  columns: process.stdout.columns,
  signal: stop.signal,
  exitCode: exitCodes.ok,
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort(new Error(`received ${signal}`)));

// The event loop ran dry with the command unfinished: the rollout waits for something nothing will send.
process.once('beforeExit', () => {
  if (finished) return;
  io.stderr('error: the rollout waits for a command or a measurement that nothing will send\n');
  process.exitCode = exitCodes.degraded;
});
let finished = false;
try {
  await createProgram({ io, version }).parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end through here too, with code 0.
    io.exitCode = error.exitCode === 0 ? exitCodes.ok : exitCodes.invalidInput;
  } else {
    io.stderr(describeError(error));
    io.exitCode = exitCodes.invalidInput;
  }
}
finished = true;
process.exitCode = io.exitCode;
