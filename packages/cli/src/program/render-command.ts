import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { exitCodes } from '../exit-codes.js';
import { loadManifests } from '../manifest/load-manifests.js';
import { type RenderRouter, renderTrafficStates } from '../render/render-traffic-states.js';
import { simulateRollout } from '../simulate/simulate-rollout.js';
import type { CliIo } from './cli-io.js';

/** `gradual render ROLLOUT --router R --from FILE...`. */
export function renderCommand(io: CliIo): Command {
  return new Command('render')
    .description('Print the objects each distinct traffic state of the rollout writes, as YAML, without a cluster')
    .argument('<rollout>', 'the Rollout YAML file')
    .addOption(new Option('-r, --router <router>', 'traffic router').choices(['istio', 'gateway-api']).makeOptionMandatory())
    .requiredOption('--from <files...>', 'the objects as they are now (VirtualService, DestinationRule, HTTPRoute, GRPCRoute)')
    .option('-n, --namespace <namespace>', 'the Rollout namespace (default: its metadata.namespace, else default)')
    .addHelpText(
      'after',
      `
The traffic states are those of the rollout run to its end with healthy
analysis; states whose objects equal the ones before are left out.

Examples:
  $ gradual render rollout.yaml --router istio --from virtualservice.yaml
  $ gradual render rollout.yaml --router gateway-api --from httproute.yaml > states.yaml`,
    )
    .action(async (rolloutFile: string, options: { router: RenderRouter; from: string[]; namespace?: string | undefined }) => {
      const { spec, templates, objects } = loadManifests({ rolloutFile, files: options.from });
      // The states of a healthy rollout: measurements do not change them, so no template is needed.
      const simulation = await simulateRollout({ spec, templates, passAnalysis: true, signal: io.signal });
      const states = renderTrafficStates({
        spec,
        router: options.router,
        objects,
        states: simulation.states,
        namespace: options.namespace,
      });
      const documents = states.flatMap(({ state, objects: rendered }, i) =>
        rendered.map(
          (object) =>
            `# state ${i + 1}/${states.length}: canary ${state.canaryWeight}%${state.headerRoutes.length ? `, header routes ${state.headerRoutes.map((r) => r.name).join(', ')}` : ''}${state.mirrorRoutes.length ? `, mirror routes ${state.mirrorRoutes.map((r) => r.name).join(', ')}` : ''}\n${stringify(object)}`,
        ),
      );
      io.stdout(documents.join('---\n'));
      io.exitCode = exitCodes.ok;
    });
}
