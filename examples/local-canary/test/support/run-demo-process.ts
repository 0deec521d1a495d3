import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoReport } from '../../src/demo/demo-report.js';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs the demo as `pnpm demo` does (tsx with the example's tsconfig, no
 * build), with `--plain --report`, and returns its exit code, output and
 * report. Killed after `timeoutMs`.
 */
export async function runDemoProcess(
  args: string[],
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string; report: DemoReport | undefined }> {
  const dir = mkdtempSync(join(tmpdir(), 'gradual-demo-'));
  const reportFile = join(dir, 'report.json');
  try {
    const child = spawn(
      join(packageDir, 'node_modules/.bin/tsx'),
      ['--tsconfig', 'tsconfig.json', 'src/main.ts', '--plain', '--report', reportFile, ...args],
      { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'], signal: AbortSignal.timeout(timeoutMs) },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => {
      child.on('close', (exitCode) => resolve(exitCode));
      child.on('error', () => resolve(null));
    });
    let report: DemoReport | undefined;
    try {
      report = JSON.parse(readFileSync(reportFile, 'utf8')) as DemoReport;
    } catch {
      report = undefined;
    }
    return { code, stdout, stderr, report };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
