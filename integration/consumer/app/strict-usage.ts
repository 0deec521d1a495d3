// Type-checked by consumer.test.ts against the packed .d.ts files with the strictest settings a
// user may have: skipLibCheck false, exactOptionalPropertyTypes true, under nodenext and bundler.
import { createAnalysisRunner, parseAnalysisTemplate, runAnalysis } from '@gradual/analysis';
import {
  type Clock,
  createRollout,
  type Logger,
  parseRollout,
  type RolloutStatus,
  reconcile,
  type TrafficRouter,
  type Workload,
} from '@gradual/core';
import { createFakeClock, createMemoryRouter, createScriptedProvider } from '@gradual/core/testing';
import { createGatewayApiTrafficRouter, gatewayApiRoutingFromRollout } from '@gradual/gateway-api';
import { createIstioTrafficRouter, istioRoutingFromRollout } from '@gradual/istio';
import { createPrometheusProvider } from '@gradual/prometheus';
import { KubeConfig } from '@kubernetes/client-node';

// Values a user holds as `T | undefined` (a status not saved yet, options read from config).
declare const saved: RolloutStatus | undefined;
declare const maybeClock: Clock | undefined;
declare const maybeLogger: Logger | undefined;
declare const maybeWorkload: Workload | undefined;
declare const maybeSignal: AbortSignal | undefined;
declare const maybeAddress: string | undefined;

const spec = parseRollout('kind: Rollout\nspec: {template: {}, strategy: {canary: {steps: [{setWeight: 10}]}}}');
const router: TrafficRouter = createMemoryRouter();
const analysis = createAnalysisRunner({
  templates: [parseAnalysisTemplate('kind: AnalysisTemplate\nspec: {metrics: []}')],
  providers: [createScriptedProvider({ script: {} }), createPrometheusProvider({ address: maybeAddress })],
  clock: maybeClock,
});

export async function controllerPass(): Promise<RolloutStatus> {
  const result = await reconcile({ spec, status: saved, router, analysis, clock: maybeClock, workload: maybeWorkload });
  return result.status;
}

export async function script(): Promise<string> {
  const handle = createRollout({
    spec,
    router,
    analysis,
    clock: maybeClock ?? createFakeClock(),
    logger: maybeLogger,
    signal: maybeSignal,
    workload: maybeWorkload,
    status: saved,
  });
  handle.on((event) => console.log(event.message));
  return (await handle.run()).outcome;
}

export function istio(): TrafficRouter {
  const kubeConfig = new KubeConfig();
  return createIstioTrafficRouter({ ...istioRoutingFromRollout(spec), namespace: 'default', kubeConfig });
}

export function gatewayApi(): TrafficRouter {
  const kubeConfig = new KubeConfig();
  return createGatewayApiTrafficRouter({ ...gatewayApiRoutingFromRollout(spec), rolloutNamespace: 'default', kubeConfig });
}

export async function standalone(): Promise<string> {
  const result = await runAnalysis({ templates: [], providers: [], clock: maybeClock, signal: maybeSignal });
  return result.phase;
}
