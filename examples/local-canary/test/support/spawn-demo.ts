import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export const packageDir = fileURLToPath(new URL('../../', import.meta.url));
/** The repository root, where a user types `pnpm demo`. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export interface SpawnedDemo {
  child: ChildProcessByStdio<null, Readable, Readable>;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) when the process has exited and its pipes closed. */
  exited: Promise<number | string | null>;
  /** Resolves once stdout matches `pattern`; rejects if the process ends first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
}

/**
 * Starts the demo as a process: by default as `pnpm demo` does it (tsx
 * with the example's tsconfig, in the example's folder), or any command.
 * Killed after `timeoutMs` whatever happens, so that no test leaves it running.
 */
export function spawnDemo(
  args: string[],
  options: { command?: string; commandArgs?: string[]; cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): SpawnedDemo {
  const command = options.command ?? `${packageDir}node_modules/.bin/tsx`;
  const commandArgs = options.commandArgs ?? ['--tsconfig', 'tsconfig.json', 'src/main.ts'];
  const child = spawn(command, [...commandArgs, ...args], {
    cwd: options.cwd ?? packageDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
    signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
    killSignal: 'SIGKILL',
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // A destroyed stdout (the test playing `| head`) must not fail the test runner.
  child.stdout.on('error', () => {});
  const exited = new Promise<number | string | null>((resolve) => {
    child.on('close', (code, signal) => resolve(code ?? signal));
    child.on('error', () => resolve(null));
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = AbortSignal.timeout(timeoutMs);
        const check = () => {
          const match = pattern.exec(stdout);
          if (!match) return;
          listeners.delete(check);
          resolve(match);
        };
        listeners.add(check);
        timer.addEventListener('abort', () => {
          listeners.delete(check);
          reject(
            new Error(
              `no ${pattern} on stdout within ${timeoutMs} ms; stdout: ${stdout.slice(-500)} stderr: ${stderr.slice(-500)}`,
            ),
          );
        });
        void exited.then(() => {
          if (!listeners.has(check)) return;
          listeners.delete(check);
          reject(new Error(`the demo exited before ${pattern}; stdout: ${stdout.slice(-500)} stderr: ${stderr.slice(-500)}`));
        });
        check();
      }),
  };
}
