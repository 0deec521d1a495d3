// `pnpm demo`: the seed's analysed canary on loopback, live. See README.md.
import { writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { systemClock } from '@gradual/core';
import { demoUsage, parseDemoArgs } from './demo/parse-demo-args.js';
import { resolveReportPath } from './demo/resolve-report-path.js';
import { runDemo } from './demo/run-demo.js';
import { createTerminalView } from './view/create-terminal-view.js';
import { formatSummary } from './view/format-summary.js';
import { guardOutput } from './view/guard-output.js';

// Exit codes as a shell reports a process ended by a signal: 130 for Ctrl-C, 143 for SIGTERM.
const signalExitCode = (name: 'SIGINT' | 'SIGTERM') => 128 + constants.signals[name];

async function main(): Promise<number> {
  let args: ReturnType<typeof parseDemoArgs>;
  let reportPath: string | undefined;
  try {
    args = parseDemoArgs(process.argv.slice(2).filter((arg) => arg !== '--'));
    if (args.report) reportPath = resolveReportPath(args.report, { initCwd: process.env.INIT_CWD, cwd: process.cwd() });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${demoUsage}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${demoUsage}\n`);
    return 0;
  }
  // Ctrl-C or SIGTERM stops the rollout where it is and shuts everything down (a second one exits at
  // once; Prometheus is still killed on exit); so does running far longer than the manifests say.
  const stop = new AbortController();
  let interruptedBy: 'SIGINT' | 'SIGTERM' | undefined;
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.on(name, () => {
      if (interruptedBy) process.exit(signalExitCode(interruptedBy));
      interruptedBy = name;
      stop.abort(new Error(`interrupted by ${name}`));
    });
  }
  // A reader that goes away (`pnpm demo | head -3`) stops the demo quietly.
  let failure: Error | undefined;
  const out = guardOutput(process.stdout, {
    onClosed: () => stop.abort(new Error('the output was closed')),
    onError: (error) => {
      failure ??= error;
      stop.abort(error);
    },
  });
  const budgetSeconds = Math.ceil(120 / args.speed + 60);
  const deadline = new AbortController();
  systemClock.sleep(budgetSeconds * 1000, deadline.signal).then(
    () => stop.abort(new Error(`the demo gave up after ${budgetSeconds} s (the rollout should have ended long before)`)),
    () => {},
  );
  const live = Boolean(process.stdout.isTTY) && !args.plain;
  const view = createTerminalView(out, live);
  // Enough for the whole budget; the generator stops there regardless.
  const maxRequests = Math.ceil(args.ratePerSecond * budgetSeconds);
  let report: Awaited<ReturnType<typeof runDemo>>;
  try {
    report = await runDemo({
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
      onNote: (note) => out.write(`${note}\n`),
    });
  } catch (error) {
    // Stopped before the rollout began: nothing to summarise.
    if (interruptedBy && !failure) {
      process.stderr.write('interrupted before the rollout started\n');
      return signalExitCode(interruptedBy);
    }
    if (out.closed && !failure) return 0;
    throw failure ?? error;
  } finally {
    deadline.abort();
  }
  if (reportPath) writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  if (failure) throw failure;
  // Nobody reads any more: no summary, and no error either (the reader chose to stop).
  if (out.closed) return 0;
  out.write(`${formatSummary(report)}\n`);
  if (report.outcome === 'Interrupted') {
    if (interruptedBy) {
      process.stderr.write('interrupted\n');
      return signalExitCode(interruptedBy);
    }
    // The time budget ran out: an error, with the partial summary above.
    throw new Error(report.message);
  }
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
