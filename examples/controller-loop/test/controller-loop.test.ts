import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRollout, type RolloutStatus } from '@gradual/core';
import { describeTrafficRouterConformance } from '@gradual/core/conformance';
import { createFakeClock, createMemoryRouter } from '@gradual/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommandInbox } from '../src/command-inbox.js';
import { createFileTrafficRouter } from '../src/create-file-traffic-router.js';
import { runController } from '../src/run-controller.js';
import { readStatusFile } from '../src/status-file.js';

const seedRollout = parseRollout(readFileSync(new URL('../manifests/rollout-canary.yaml', import.meta.url), 'utf8'));
const start = Date.UTC(2026, 0, 1);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradual-controller-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describeTrafficRouterConformance({
  name: 'file (examples/controller-loop)',
  create: async () => {
    const where = mkdtempSync(join(tmpdir(), 'gradual-file-router-'));
    return {
      router: createFileTrafficRouter(join(where, 'traffic.json')),
      cleanup: async () => rmSync(where, { recursive: true }),
    };
  },
});

describe("a controller loop over the seed's rollout-canary.yaml (20% 1m, 50% 2m)", () => {
  it('resumes after a restart where the file says: no step twice, the pause counts from when it began', async () => {
    const statusFile = join(dir, 'status.json');
    // The data plane outlives the controller process, as a mesh does.
    const router = createMemoryRouter();
    const clock = createFakeClock({ auto: true, start });

    // First process: stops ("crashes") once the first pause has begun.
    const first = new AbortController();
    const outcome1 = await runController({
      spec: seedRollout,
      statusFile,
      router,
      clock,
      signal: first.signal,
      stableRevision: 'blue-hash',
      onReconcile: (result) => {
        if (result.status.pauseConditions.length > 0) first.abort(new Error('crash'));
      },
    });
    expect(outcome1).toBe('Stopped');
    const persisted = readStatusFile(statusFile)!;
    expect(persisted.currentStepIndex).toBe(1);
    expect(JSON.parse(JSON.stringify(persisted))).toEqual(persisted);

    // Down for 30 s, then a new process from the file alone.
    await clock.advance(30_000);
    const outcome2 = await runController({ spec: seedRollout, statusFile, router, clock, signal: new AbortController().signal });
    expect(outcome2).toBe('Promoted');
    expect(router.history.map((state) => state.canaryWeight)).toEqual([20, 50, 100, 0]);
    expect(router.history.at(-1)?.stableRevision).toBe(seedRollout.revision);
    // 1m + 2m of pauses: the restart did not restart the first pause.
    expect(clock.now() - start).toBe(3 * 60_000);
    expect(readStatusFile(statusFile)?.phase).toBe('Healthy');
  });

  it('takes commands from the inbox: promote ends an indefinite pause, abort puts traffic back', async () => {
    const spec = parseRollout({
      ...(seedRollout as unknown as object),
      strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: {} }] } },
      selector: seedRollout.selector,
      template: seedRollout.template,
    });
    const statusFile = join(dir, 'status.json');
    const inbox = join(dir, 'commands');
    const router = createMemoryRouter();
    const clock = createFakeClock({ auto: true, start });
    let paused = 0;
    const outcome = await runController({
      spec,
      statusFile,
      router,
      clock,
      signal: new AbortController().signal,
      stableRevision: 'blue-hash',
      takeCommands: createCommandInbox(inbox).take,
      idleRecheckMs: 1_000,
      onReconcile: (result) => {
        // A person answers each indefinite pause: promote the first, abort at the second.
        if (result.requeueAfterMs !== undefined || result.status.pauseConditions.length === 0) return;
        paused++;
        appendFileSync(inbox, paused === 1 ? '{"type":"promote"}\n' : '{"type":"abort","reason":"saw errors"}\n');
      },
    });
    expect(outcome).toBe('Aborted');
    expect(router.history.map((state) => state.canaryWeight)).toEqual([20, 50, 0]);
    expect(readStatusFile(statusFile)?.abortMessage).toMatch(/saw errors/);
  });

  it('takes a command written during a timed pause within idleRecheckMs, not at the end of the pause', async () => {
    const statusFile = join(dir, 'status.json');
    const inbox = join(dir, 'commands');
    const router = createMemoryRouter();
    const clock = createFakeClock({ auto: true, start });
    let pausedAt: number | undefined;
    let movedOnAt: number | undefined;
    const outcome = await runController({
      spec: seedRollout,
      statusFile,
      router,
      clock,
      signal: new AbortController().signal,
      stableRevision: 'blue-hash',
      takeCommands: createCommandInbox(inbox).take,
      idleRecheckMs: 1_000,
      onReconcile: (result) => {
        // The seed's first pause is 1m: promote as soon as it begins.
        if (pausedAt === undefined && result.status.pauseConditions.length > 0) {
          pausedAt = clock.now();
          appendFileSync(inbox, '{"type":"promote"}\n');
        }
        if (movedOnAt === undefined && result.status.currentStepIndex >= 2) movedOnAt = clock.now();
      },
    });
    expect(outcome).toBe('Promoted');
    expect(pausedAt).toBeDefined();
    expect(movedOnAt! - pausedAt!).toBeLessThanOrEqual(1_000);
  });

  it('refuses a damaged status file rather than starting over on live traffic', async () => {
    const statusFile = join(dir, 'status.json');
    writeFileSync(statusFile, '{"phase": "Paus');
    await expect(
      runController({
        spec: seedRollout,
        statusFile,
        router: createMemoryRouter(),
        clock: createFakeClock({ auto: true }),
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow(/status\.json is not valid JSON.*fix or remove it/);
  });

  it('after every reconcile the file holds exactly the status it returned', async () => {
    const statusFile = join(dir, 'status.json');
    const seen: RolloutStatus[] = [];
    await runController({
      spec: seedRollout,
      statusFile,
      router: createMemoryRouter(),
      clock: createFakeClock({ auto: true, start }),
      signal: new AbortController().signal,
      stableRevision: 'blue-hash',
      onReconcile: (result) => {
        const stored = JSON.parse(readFileSync(statusFile, 'utf8')) as RolloutStatus;
        expect(stored).toEqual(JSON.parse(JSON.stringify(result.status)));
        seen.push(stored);
      },
    });
    // One pass per pause (1m, 2m) and the last: three files, each whole.
    expect(seen).toHaveLength(3);
    expect(seen.at(-1)?.phase).toBe('Healthy');
  });
});
