import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root and the built binary. */
export const repo = fileURLToPath(new URL('../../../../', import.meta.url));
export const binary = join(repo, 'packages/cli/dist/cli.js');

const run = promisify(execFile);
const sources = ['core', 'analysis', 'prometheus', 'istio', 'gateway-api', 'kubernetes', 'cli'].map((name) =>
  join(repo, 'packages', name, 'src'),
);

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * Builds the binary and the packages it imports with their own build
 * (tsup), unless dist/cli.js is newer than all their sources (`pnpm test:all`
 * builds first, so there this is a check only).
 */
export async function ensureBuilt(): Promise<void> {
  const fresh = existsSync(binary) && statSync(binary).mtimeMs >= Math.max(...sources.map(newest));
  if (fresh) return;
  await run('pnpm', ['-r', '--filter', '@gradual/cli...', 'run', 'build'], { cwd: repo, maxBuffer: 16 * 1024 * 1024 });
}

/** How one run of the binary ended. */
export interface GradualRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ...args` from the repository root; kills it after `timeoutMs` (default 60 s). */
export function gradual(
  args: readonly string[],
  options: {
    timeoutMs?: number;
    env?: Record<string, string>;
    onStdout?: (text: string, kill: (signal: NodeJS.Signals) => void) => void;
  } = {},
): Promise<GradualRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binary, ...args], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const kill = (signal: NodeJS.Signals) => child.kill(signal);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onStdout?.(stdout, kill);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const deadline = AbortSignal.timeout(options.timeoutMs ?? 60_000);
    const onTimeout = () => {
      child.kill('SIGKILL');
      reject(new Error(`gradual ${args.join(' ')} did not end in time\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    };
    deadline.addEventListener('abort', onTimeout, { once: true });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      deadline.removeEventListener('abort', onTimeout);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
