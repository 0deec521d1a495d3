import { type Clock, type Logger, systemClock } from '@gradual/core';
import { startKubeApiServer } from '@gradual/kube-api-test-server';
import { AppsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { createExampleController } from './create-controller.js';
import { demoNamespace, demoRollout, seedDemo } from './seed-demo.js';

/** What the demo reports at the end. */
export interface DemoResult {
  /** Each distinct progress line printed, in order. */
  progress: string[];
  /** `gradual_reconcile_total` by result. */
  reconciles: Record<string, number>;
}

interface ArgoStatus {
  phase?: string;
  currentStepIndex?: number;
  stableRS?: string;
  currentPodHash?: string;
}

/**
 * The whole story against the built-in test API server: start it (no kubelet: every ReplicaSet reports its
 * replicas available, as `autoAvailable`), seed the talk's canary, let the controller deploy v1 (an initial
 * deploy goes straight to Healthy), change the image as a person would (`kubectl argo rollouts set image`),
 * and print each state it passes through, read with the real client as `kubectl` would, until v2 is Healthy.
 */
export async function runDemo(options: { clock: Clock; logger: Logger; timeoutMs: number }): Promise<DemoResult> {
  const server = await startKubeApiServer({ autoAvailable: true });
  const kubeConfig = server.kubeConfig({ namespace: demoNamespace });
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const registry = new Registry();
  const progress: string[] = [];
  const controller = createExampleController({
    kubeConfig,
    namespaces: [demoNamespace],
    clock: options.clock,
    logger: options.logger,
    registry,
  });
  const deadline = systemClock.now() + options.timeoutMs;
  const observe = async (): Promise<ArgoStatus> => {
    const rollout = (await custom.getNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: demoNamespace,
      plural: 'rollouts',
      name: demoRollout,
    })) as { status?: ArgoStatus };
    const status = rollout.status ?? {};
    const service = server.get('virtualservices', demoNamespace, 'rollout-vsvc') as {
      spec: { http: { route: { destination: { host: string }; weight?: number }[] }[] };
    };
    const weight = service.spec.http[0]?.route.find((d) => d.destination.host === 'rollouts-demo-canary')?.weight ?? 0;
    const replicaSets = (await apps.listNamespacedReplicaSet({ namespace: demoNamespace })).items
      .map((rs) => `${rs.metadata?.name}=${rs.status?.availableReplicas ?? 0}/${rs.spec?.replicas ?? 0}`)
      .sort()
      .join(' ');
    const line = `phase=${status.phase ?? '-'} step=${status.currentStepIndex ?? '-'} canaryWeight=${weight} replicaSets=[${replicaSets}]`;
    if (progress.at(-1) !== line) {
      progress.push(line);
      console.log(`progress ${line}`);
    }
    return status;
  };
  const untilHealthy = async (what: string, previousStable: string | undefined): Promise<string> => {
    for (;;) {
      const status = await observe();
      if (status.phase === 'Healthy' && status.stableRS && status.stableRS !== previousStable) return status.stableRS;
      if (systemClock.now() > deadline) throw new Error(`the demo timed out waiting for ${what} to become Healthy`);
      await systemClock.sleep(50);
    }
  };
  try {
    seedDemo(server);
    await controller.start();
    const v1 = await untilHealthy('v1 (the initial deploy)', undefined);
    console.log(`v1 is Healthy (stable ReplicaSet hash ${v1}); setting image argoproj/rollouts-demo:yellow`);
    server.edit('rollouts', demoNamespace, demoRollout, (rollout) => {
      const spec = rollout.spec as { template: { spec: { containers: { image: string }[] } } };
      spec.template.spec.containers[0]!.image = 'argoproj/rollouts-demo:yellow';
    });
    const v2 = await untilHealthy('v2 (the canary)', v1);
    console.log(`v2 is Healthy (stable ReplicaSet hash ${v2})`);
  } finally {
    await controller.stop();
    await server.close();
  }
  const reconciles: Record<string, number> = {};
  const metric = await registry.getSingleMetric('gradual_reconcile_total')?.get();
  for (const value of metric?.values ?? []) reconciles[String(value.labels.result)] = value.value;
  return { progress, reconciles };
}
