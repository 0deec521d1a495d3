import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `pnpm start` as a user runs it: a process of its own, to its exit. */
function start(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'pnpm',
      ['--silent', 'start', ...args],
      { cwd: root, timeout: 90_000, env: { ...process.env, FORCE_COLOR: '0' } },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('pnpm -C examples/kubernetes-controller start', () => {
  it('drives the talk canary to Healthy against the test server it starts, printing each state', async () => {
    const { code, stdout, stderr } = await start([]);
    expect(stderr).not.toMatch(/error:/);
    expect(code).toBe(0);
    const progress = stdout.split('\n').filter((line) => line.startsWith('progress '));
    const weights = progress.map((line) => Number(/canaryWeight=(\d+)/.exec(line)?.[1]));
    // The seed's steps, in order, through the VirtualService: 20, then 50, then all back on the new stable.
    expect(weights.indexOf(20)).toBeGreaterThan(-1);
    expect(weights.indexOf(50)).toBeGreaterThan(weights.indexOf(20));
    expect(weights.at(-1)).toBe(0);
    expect(stdout).toMatch(/v1 is Healthy/);
    expect(stdout).toMatch(/v2 is Healthy/);
    // Two ReplicaSets at the end: the new stable with the seed's 5 replicas available.
    const last = progress.at(-1) ?? '';
    expect(last).toMatch(/phase=Healthy/);
    expect(last).toMatch(/=5\/5/);
  }, 120_000);

  it('refuses a kubeconfig that does not exist, saying which file', async () => {
    const { code, stderr } = await start(['--kubeconfig', '/nonexistent/kubeconfig']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/\/nonexistent\/kubeconfig/);
  }, 60_000);
});
