// Runs a Rollout against the cluster of your kubeconfig, with Istio and Prometheus:
//   pnpm --filter @gradual/example-istio-cluster start -- \
//     --rollout manifests/rollout-analysis.yaml --template manifests/analysistemplate-success-rate.yaml \
//     --stable-revision <hash of the running ReplicaSet> [--namespace canary] [--prometheus http://localhost:9090]
// Exit code: 0 promoted, 1 aborted, 2 error.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { runIstioRollout } from './run-istio-rollout.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      rollout: { type: 'string' },
      template: { type: 'string', multiple: true, default: [] },
      namespace: { type: 'string' },
      'stable-revision': { type: 'string' },
      'initial-deploy': { type: 'boolean', default: false },
      prometheus: { type: 'string' },
      kubeconfig: { type: 'string' },
    },
  });
  if (!values.rollout) throw new Error('--rollout <file> is required');
  if (!values['stable-revision'] && !values['initial-deploy']) {
    throw new Error('--stable-revision <pod-template-hash> is required (or --initial-deploy when nothing serves yet)');
  }
  const kubeConfig = new KubeConfig();
  if (values.kubeconfig) kubeConfig.loadFromFile(values.kubeconfig);
  else kubeConfig.loadFromDefault();
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort(new Error('interrupted')));
  const result = await runIstioRollout({
    rollout: readFileSync(values.rollout, 'utf8'),
    templates: values.template.map((file) => readFileSync(file, 'utf8')),
    kubeConfig,
    ...(values.namespace ? { namespace: values.namespace } : {}),
    ...(values['stable-revision'] ? { stableRevision: values['stable-revision'] } : {}),
    initialDeploy: values['initial-deploy'],
    ...(values.prometheus ? { prometheusAddress: values.prometheus } : {}),
    signal: stop.signal,
    onEvent: (event) => console.log(`${event.at} ${event.type} ${event.reason}: ${event.message}`),
  });
  console.log(`${result.outcome}: ${result.message}`);
  return result.outcome === 'Promoted' ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
