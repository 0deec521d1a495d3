// A minimal controller: `pnpm --filter @gradual/example-controller-loop start [--rollout file] [--state dir]`.
// Stop it (Ctrl-C) at any point and start it again: it resumes from <state>/status.json.
// Promote or abort while it runs: echo '{"type":"promote"}' >> <state>/commands
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseRollout, systemClock } from '@gradual/core';
import { createCommandInbox } from './command-inbox.js';
import { createFileTrafficRouter } from './create-file-traffic-router.js';
import { runController } from './run-controller.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    rollout: { type: 'string', default: new URL('../manifests/rollout-canary.yaml', import.meta.url).pathname },
    state: { type: 'string', default: '.gradual' },
    'stable-revision': { type: 'string', default: 'previous' },
  },
});
const dir = values.state;
const spec = parseRollout(readFileSync(values.rollout, 'utf8'));
const stop = new AbortController();
process.once('SIGINT', () => stop.abort(new Error('interrupted')));

const outcome = await runController({
  spec,
  statusFile: join(dir, 'status.json'),
  router: createFileTrafficRouter(join(dir, 'traffic.json')),
  clock: systemClock,
  signal: stop.signal,
  stableRevision: values['stable-revision'],
  takeCommands: createCommandInbox(join(dir, 'commands')).take,
  idleRecheckMs: 1_000,
  onReconcile: (result) => {
    for (const event of result.events) console.log(`${event.at} ${event.reason}: ${event.message}`);
    const next = result.requeueAfterMs === undefined ? 'waiting for a command' : `next in ${result.requeueAfterMs} ms`;
    console.log(`  step ${result.status.currentStepIndex}, ${result.status.phase}: ${result.status.message} (${next})`);
  },
});
console.log(`controller ${outcome === 'Stopped' ? 'stopped; start it again to resume' : `done: ${outcome}`}`);
process.exitCode = outcome === 'Promoted' ? 0 : outcome === 'Aborted' ? 1 : 130;
