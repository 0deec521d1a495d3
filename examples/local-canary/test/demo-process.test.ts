import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { DemoReport } from '../src/demo/demo-report.js';
import { prometheusInstalled } from '../src/prometheus/start-scraping-prometheus.js';
import { repoRoot, spawnDemo } from './support/spawn-demo.js';

// The demo as a process, the way people end it: Ctrl-C / SIGTERM, a closed pipe (`| head -3`), and
// the README's commands typed at the repository root. Real time, at --speed 20.

// PIDs of Prometheus processes listening on `port`, with their command lines.
function prometheusOn(port: string): { pid: number; args: string }[] {
  const found = spawnSync('pgrep', ['-af', `web.listen-address=127.0.0.1:${port}`], { encoding: 'utf8' });
  return found.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => ({ pid: Number(line.split(' ')[0]), args: line.slice(line.indexOf(' ') + 1) }));
}

const listening = (port: string) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('ending the demo from outside', () => {
  it('SIGTERM mid-rollout: "interrupted", a partial summary, exit 143 (128 + SIGTERM)', { timeout: 60_000 }, async () => {
    const demo = spawnDemo(['--speed', '20', '--plain']);
    await demo.waitFor(/TrafficWeightUpdated/, 30_000);
    demo.child.kill('SIGTERM');
    expect(await demo.exited).toBe(143);
    expect(demo.stderr()).toBe('interrupted\n');
    expect(demo.stdout()).toMatch(/INTERRUPTED: .*\(interrupted by SIGTERM at step \d+ of \d+\)/);
    expect(demo.stdout()).toMatch(/#1 +weight 30/);
    expect(demo.stdout()).not.toContain('demo failed');
  });

  it('a closed stdout (`pnpm demo | head -3`) stops it quietly: exit 0, nothing on stderr', { timeout: 60_000 }, async () => {
    const demo = spawnDemo(['--speed', '20', '--plain']);
    await demo.waitFor(/TrafficWeightUpdated/, 30_000);
    demo.child.stdout.destroy();
    expect(await demo.exited).toBe(0);
    expect(demo.stderr()).toBe('');
  });

  const reason = prometheusInstalled() ? undefined : 'no prometheus binary on the PATH (Debian: apt-get install prometheus)';
  describe.skipIf(reason !== undefined)(`with --prometheus${reason ? ` (skipped: ${reason})` : ''}`, () => {
    // Prometheus is up once the demo says where it is; returns its port and temporary directory.
    const prometheusOf = async (demo: ReturnType<typeof spawnDemo>) => {
      const [, port] = (await demo.waitFor(/Prometheus at http:\/\/127\.0\.0\.1:(\d+) is scraping/, 45_000)) as string[];
      const [running] = prometheusOn(port!);
      expect(running, `a prometheus listening on ${port}`).toBeDefined();
      const config = /--config\.file=(\S+)/.exec(running!.args)![1]!;
      return { port: port!, dir: dirname(config) };
    };
    const expectGone = async ({ port, dir }: { port: string; dir: string }) => {
      await vi.waitFor(async () => expect(await listening(port)).toBe(false), { timeout: 5_000, interval: 50 });
      expect(prometheusOn(port)).toEqual([]);
      expect(existsSync(dir), dir).toBe(false);
    };

    it(
      'SIGTERM leaves no Prometheus behind: process gone, port free, temporary directory removed',
      { timeout: 90_000 },
      async () => {
        const demo = spawnDemo(['--speed', '20', '--plain', '--prometheus'], { timeoutMs: 80_000 });
        const prometheus = await prometheusOf(demo);
        demo.child.kill('SIGTERM');
        expect(await demo.exited).toBe(143);
        await expectGone(prometheus);
      },
    );

    it('a closed stdout leaves no Prometheus behind either', { timeout: 90_000 }, async () => {
      const demo = spawnDemo(['--speed', '20', '--plain', '--prometheus'], { timeoutMs: 80_000 });
      const prometheus = await prometheusOf(demo);
      demo.child.stdout.destroy();
      expect(await demo.exited).toBe(0);
      await expectGone(prometheus);
    });
  });
});

describe("the README's commands, typed at the repository root", () => {
  it('`pnpm demo --speed 20 --plain` promotes: exit 0 and the PROMOTED line', { timeout: 90_000 }, async () => {
    const demo = spawnDemo(['--speed', '20', '--plain'], {
      command: 'pnpm',
      commandArgs: ['demo'],
      cwd: repoRoot,
      timeoutMs: 80_000,
    });
    expect(await demo.exited).toBe(0);
    expect(demo.stdout()).toMatch(/^PROMOTED: v2 is stable \(.*\) after \d+\.\d s at speed 20$/m);
  });

  it(
    '`pnpm demo --bad --report <relative path>` aborts (exit 1) and writes the report where pnpm ran',
    { timeout: 90_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gradual-demo-report-'));
      try {
        const demo = spawnDemo(['--speed', '20', '--plain', '--bad', '--report', relative(repoRoot, join(dir, 'report.json'))], {
          command: 'pnpm',
          commandArgs: ['demo'],
          cwd: repoRoot,
          timeoutMs: 80_000,
        });
        expect(await demo.exited).toBe(1);
        expect(demo.stdout()).toMatch(/^ABORTED: traffic is back on v1/m);
        const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as DemoReport;
        expect(report.outcome).toBe('Aborted');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('`pnpm demo --report <unwritable>` refuses before anything starts (exit 2 from the demo)', { timeout: 60_000 }, async () => {
    const demo = spawnDemo(['--report', 'no/such/dir/report.json'], {
      command: 'pnpm',
      commandArgs: ['demo'],
      cwd: repoRoot,
    });
    expect(await demo.exited).not.toBe(0);
    expect(demo.stderr()).toMatch(/--report no\/such\/dir\/report\.json: cannot write .*no\/such\/dir is not a directory/);
    expect(demo.stdout()).not.toContain('proxy http://');
  });
});
