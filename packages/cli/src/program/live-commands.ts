import { CancelledError } from '@gradual/core';
import { KubeConfig } from '@kubernetes/client-node';
import { Command } from 'commander';
import { createLogUpdate } from 'log-update';
import { exitCodes } from '../exit-codes.js';
import { abortPatches, pausePatches, promotePatches, type RolloutPatches, retryPatches } from '../live/rollout-patches.js';
import { rolloutSummary } from '../live/rollout-summary.js';
import { createRolloutsClient, type RolloutsClient } from '../live/rollouts-client.js';
import type { CliIo } from './cli-io.js';

interface ClusterOptions {
  namespace?: string | undefined;
  kubeconfig?: string | undefined;
}

/**
 * `gradual get|promote|abort|retry|pause NAME`: on Rollout objects that a
 * controller (gradual's or Argo's) manages, the same writes as
 * `kubectl argo rollouts`, and `get` from Argo's status fields.
 */
export function liveCommands(io: CliIo): Command[] {
  const cluster = (command: Command) =>
    command
      .argument('<name>', 'the Rollout')
      .option('-n, --namespace <namespace>', "namespace (default: the kubeconfig context's, else default)")
      .option('--kubeconfig <file>', 'kubeconfig (default: KUBECONFIG, ~/.kube/config, or in-cluster)');
  const connect = (options: ClusterOptions): RolloutsClient => {
    const kubeConfig = new KubeConfig();
    if (options.kubeconfig) kubeConfig.loadFromFile(options.kubeconfig);
    else kubeConfig.loadFromDefault();
    const namespace = options.namespace ?? kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace ?? 'default';
    return createRolloutsClient({ kubeConfig, namespace });
  };
  const command = (
    name: string,
    description: string,
    examples: string[],
    patches: (client: RolloutsClient, rollout: string, options: { full?: boolean | undefined }) => Promise<RolloutPatches>,
    said: (options: { full?: boolean | undefined }) => string,
  ) =>
    cluster(new Command(name).description(description))
      .addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}`)
      .action(async (rollout: string, options: ClusterOptions & { full?: boolean | undefined }) => {
        const client = connect(options);
        const updated = await client.send(rollout, await patches(client, rollout, options), io.signal);
        io.stdout(`rollout '${updated.metadata?.name ?? rollout}' ${said(options)}\n`);
        io.exitCode = exitCodes.ok;
      });

  const promote = command(
    'promote',
    'Promote a paused rollout (ends the pause, or skips the current step); --full skips every remaining step and analysis',
    ['gradual promote checkout', 'gradual promote checkout --full -n shop'],
    async (client, rollout, options) => promotePatches(await client.get(rollout, io.signal), { full: options.full }),
    (options) => (options.full ? 'fully promoted' : 'promoted'),
  ).option('--full', 'skip every remaining step, pause and analysis');
  const abort = command(
    'abort',
    'Abort the update: traffic back to stable, the rollout stops',
    ['gradual abort checkout'],
    async () => abortPatches,
    () => 'aborted',
  );
  const retry = command(
    'retry',
    'Start an aborted update again from the first step',
    ['gradual retry checkout'],
    async () => retryPatches,
    () => 'retried',
  );
  const pause = command(
    'pause',
    'Pause the rollout where it is until a promote',
    ['gradual pause checkout'],
    async () => pausePatches,
    () => 'paused',
  );

  const get = cluster(new Command('get').description("Show a rollout from Argo's status fields; --watch follows it"))
    .option('-w, --watch', 'print it again on every change (redrawn in place on a terminal)')
    .addHelpText('after', '\nExamples:\n  $ gradual get checkout\n  $ gradual get checkout --watch -n shop')
    .action(async (rollout: string, options: ClusterOptions & { watch?: boolean | undefined }) => {
      const client = connect(options);
      if (!options.watch) {
        io.stdout(rolloutSummary(await client.get(rollout, io.signal)));
        io.exitCode = exitCodes.ok;
        return;
      }
      const update = io.terminal ? createLogUpdate(io.terminal) : undefined;
      let last = '';
      const show = (text: string) => {
        if (text === last) return;
        last = text;
        if (update) update(text);
        else io.stdout(`${text}\n`);
      };
      show(rolloutSummary(await client.get(rollout, io.signal)));
      try {
        await client.watch(rollout, (object) => show(rolloutSummary(object)), io.signal);
      } catch (error) {
        if (!CancelledError.isCancellation(error)) throw error;
      } finally {
        update?.done();
      }
      io.exitCode = io.signal.aborted ? exitCodes.interrupted : exitCodes.ok;
    });
  return [get, promote, abort, retry, pause];
}
