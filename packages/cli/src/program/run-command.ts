import { CancelledError } from '@gradual/core';
import { KubeConfig } from '@kubernetes/client-node';
import { Command, Option } from 'commander';
import pc from 'picocolors';
import { exitCodeOf, exitCodes } from '../exit-codes.js';
import { loadManifests } from '../manifest/load-manifests.js';
import type { RenderRouter } from '../render/render-traffic-states.js';
import { createLiveView } from '../run/live-view.js';
import { runRolloutLive } from '../run/run-rollout-live.js';
import { formatDuration } from '../simulate/format-duration.js';
import type { CliIo } from './cli-io.js';

/** `gradual run ROLLOUT`. */
export function runCommand(io: CliIo): Command {
  return new Command('run')
    .description('Drive a real rollout to its end (traffic on the cluster, Prometheus analysis), for CI jobs')
    .argument('<rollout>', 'the Rollout YAML file (may also hold its AnalysisTemplates)')
    .option('-t, --template <files...>', 'AnalysisTemplate files')
    .addOption(new Option('-r, --router <router>', 'traffic router').choices(['istio', 'gateway-api']).makeOptionMandatory())
    .option('--kubeconfig <file>', 'kubeconfig (default: KUBECONFIG, ~/.kube/config, or in-cluster)')
    .option('-n, --namespace <namespace>', 'namespace of the routed objects (default: the Rollout namespace, else default)')
    .option('--prometheus <url>', 'Prometheus to query instead of the address the templates name')
    .option('--status-file <file>', 'save the status after every step; resume from it when it exists')
    .option('--stable-revision <revision>', 'the revision serving now, on the first run', 'stable')
    .addHelpText(
      'after',
      `
Prints one line per event (time, reason, message); colours on a terminal.
SIGINT / SIGTERM stop the run cleanly, with the status saved; run the same
command again to resume.
Exit code: 0 promoted, 1 aborted, 2 invalid input, 3 degraded, 130 interrupted.

Examples:
  $ gradual run rollout.yaml -t analysistemplate.yaml --router istio --prometheus http://localhost:9090
  $ gradual run rollout.yaml --router gateway-api --kubeconfig ci.kubeconfig --status-file .rollout-status.json`,
    )
    .action(
      async (
        rolloutFile: string,
        options: {
          template?: string[] | undefined;
          router: RenderRouter;
          kubeconfig?: string | undefined;
          namespace?: string | undefined;
          prometheus?: string | undefined;
          statusFile?: string | undefined;
          stableRevision: string;
        },
      ) => {
        const { spec, templates } = loadManifests({ rolloutFile, files: options.template });
        const kubeConfig = new KubeConfig();
        if (options.kubeconfig) kubeConfig.loadFromFile(options.kubeconfig);
        else kubeConfig.loadFromDefault();
        const colors = pc.createColors(io.isTTY);
        const view = createLiveView({ spec, write: io.stdout, terminal: io.terminal });
        let startedAt: number | undefined;
        try {
          const result = await runRolloutLive({
            spec,
            templates,
            router: options.router,
            kubeConfig,
            namespace: options.namespace,
            prometheus: options.prometheus,
            statusFile: options.statusFile,
            stableRevision: options.stableRevision,
            signal: io.signal,
            onLine: (line) => {
              startedAt ??= line.at;
              const time = formatDuration(line.at - startedAt).padStart(8);
              view.line(`${colors.dim(time)}  ${line.type === 'Warning' ? colors.yellow(line.text) : line.text}`);
            },
            onStatus: (status, now) => view.status(status, Math.max(0, now - status.startedAt)),
          });
          view.done();
          io.stdout(`${result.outcome}: ${result.message}\n`);
          io.exitCode = exitCodeOf(result.outcome);
        } catch (error) {
          view.done();
          if (!CancelledError.isCancellation(error) || !io.signal.aborted) throw error;
          io.stderr(`interrupted${options.statusFile ? `; status saved to ${options.statusFile}` : ''}\n`);
          io.exitCode = exitCodes.interrupted;
        }
      },
    );
}
