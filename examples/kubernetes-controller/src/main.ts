// `pnpm start` runs the demo against the built-in test API server; `pnpm start -- --kubeconfig <file>` runs the
// controller against a real cluster until SIGTERM. See README.md.
import { parseArgs } from 'node:util';
import { createConsoleLogger } from './console-logger.js';
import { runDemo } from './run-demo.js';
import { runOnCluster } from './run-on-cluster.js';
import { createScaledClock } from './scaled-clock.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    kubeconfig: { type: 'string' },
    namespace: { type: 'string', multiple: true, short: 'n' },
    'lease-namespace': { type: 'string' },
    'metrics-port': { type: 'string' },
    speed: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
  },
});

const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stop.abort());

try {
  if (values.kubeconfig) {
    // Real time on a real cluster, unless asked otherwise.
    const clock = createScaledClock(Number(values.speed ?? 1));
    await runOnCluster({
      kubeconfig: values.kubeconfig,
      namespaces: values.namespace ?? [],
      leaseNamespace: values['lease-namespace'],
      metricsPort: values['metrics-port'] === undefined ? undefined : Number(values['metrics-port']),
      clock,
      logger: createConsoleLogger({ clock, verbose: values.verbose }),
      signal: stop.signal,
    });
  } else {
    // The seed's pauses (1m, 2m) at 60x: a few seconds.
    const clock = createScaledClock(Number(values.speed ?? 60));
    const result = await runDemo({ clock, logger: createConsoleLogger({ clock, verbose: values.verbose }), timeoutMs: 60_000 });
    console.log(`done: ${result.progress.length} states, reconciles ${JSON.stringify(result.reconciles)}`);
  }
} catch (error) {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
