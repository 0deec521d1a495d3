// `pnpm demo`: the seed's analysed canary on loopback, live. See README.md.
import { writeFileSync } from 'node:fs';
import { systemClock } from '@gradual/core';
import { demoUsage, parseDemoArgs } from './demo/parse-demo-args.js';
import { runDemo } from './demo/run-demo.js';
import { createTerminalView } from './view/create-terminal-view.js';
import { formatSummary } from './view/format-summary.js';

async function main(): Promise<number> {
  let args: ReturnType<typeof parseDemoArgs>;
  try {
    args = parseDemoArgs(process.argv.slice(2).filter((arg) => arg !== '--'));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${demoUsage}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${demoUsage}\n`);
    return 0;
  }
  // Ctrl-C stops the rollout where it is and shuts everything down; so does running far longer than the manifests say.
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort(new Error('interrupted')));
  const budgetSeconds = Math.ceil(120 / args.speed + 60);
  const deadline = new AbortController();
  systemClock.sleep(budgetSeconds * 1000, deadline.signal).then(
    () => stop.abort(new Error(`the demo gave up after ${budgetSeconds} s (the rollout should have ended long before)`)),
    () => {},
  );
  const live = Boolean(process.stdout.isTTY) && !args.plain;
  const view = createTerminalView(process.stdout, live);
  // Enough for the whole budget; the generator stops there regardless.
  const maxRequests = Math.ceil(args.ratePerSecond * budgetSeconds);
  const report = await runDemo({
    scenario: args.scenario,
    speed: args.speed,
    failShare: args.bad ? args.failShare : 0,
    prometheus: args.prometheus,
    ratePerSecond: args.ratePerSecond,
    concurrency: 8,
    maxRequests,
    afterMs: 500,
    clock: systemClock,
    signal: stop.signal,
    onUpdate: (snapshot) => view.update(snapshot),
    updateEveryMs: live ? 100 : 250,
    onEvent: (event) => view.event(event),
    onNote: (note) => process.stdout.write(`${note}\n`),
  });
  deadline.abort();
  process.stdout.write(`${formatSummary(report)}\n`);
  if (args.report) writeFileSync(args.report, `${JSON.stringify(report, null, 2)}\n`);
  return report.outcome === 'Promoted' ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}${cause}\n`);
    process.exit(2);
  },
);
