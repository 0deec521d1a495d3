import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { exitCodeOf } from '../exit-codes.js';
import { loadManifests } from '../manifest/load-manifests.js';
import { formatSimulation } from '../simulate/format-simulation.js';
import { renderHtml } from '../simulate/render-html.js';
import { parseScenario } from '../simulate/scenario.js';
import { simulateRollout } from '../simulate/simulate-rollout.js';
import type { CliIo } from './cli-io.js';

/** `gradual simulate ROLLOUT`. */
export function simulateCommand(io: CliIo): Command {
  return new Command('simulate')
    .description('Run the whole rollout on a virtual clock: timeline, canary weight chart, outcome')
    .argument('<rollout>', 'the Rollout YAML file (may also hold its AnalysisTemplates)')
    .option('-t, --template <files...>', 'AnalysisTemplate files')
    .option('-m, --metrics <scenario>', 'scenario file: per metric healthy, "failing after 3m", or a list of values')
    .option('--html <file>', 'also write a self-contained HTML page (chart and table)')
    .option('--json', 'print the result as JSON instead of the table')
    .addHelpText(
      'after',
      `
A scenario file:
  metrics:
    success-rate: failing after 3m   # healthy until 3m of virtual time, then failing
    latency: [0.2, 0.3, 0.9]          # one value per measurement; the last repeats
Metrics the scenario does not name are healthy. "healthy" and "failing" are
values the metric's own conditions judge Successful and Failed.
A pause with no duration is promoted at once (the timeline says so).
Exit code: 0 promoted, 1 aborted, 3 degraded, 2 invalid input.

Examples:
  $ gradual simulate rollout.yaml --template analysistemplate.yaml
  $ gradual simulate rollout.yaml -t template.yaml -m failing.yaml --html timeline.html
  $ gradual simulate rollout.yaml -t template.yaml --json | jq .outcome`,
    )
    .action(
      async (
        rolloutFile: string,
        options: {
          template?: string[] | undefined;
          metrics?: string | undefined;
          html?: string | undefined;
          json?: boolean | undefined;
        },
      ) => {
        const { spec, templates } = loadManifests({ rolloutFile, files: options.template });
        const scenario = options.metrics ? parseScenario(readFileSync(options.metrics, 'utf8')) : undefined;
        const result = await simulateRollout({ spec, templates, scenario, signal: io.signal });
        if (options.html) writeFileSync(options.html, renderHtml({ result, name: spec.name }));
        if (options.json) {
          const { status: _status, ...rest } = result;
          io.stdout(`${JSON.stringify({ rollout: spec.name, ...rest }, null, 2)}\n`);
        } else io.stdout(formatSimulation({ result, name: spec.name, color: io.isTTY, width: io.columns }));
        io.exitCode = exitCodeOf(result.outcome);
      },
    );
}
