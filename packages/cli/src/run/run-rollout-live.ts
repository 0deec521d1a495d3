import { type AnalysisTemplate, createAnalysisRunner } from '@gradual/analysis';
import {
  type Clock,
  createRollout,
  type RolloutResult,
  type RolloutSpec,
  type RolloutStatus,
  systemClock,
  type TrafficRouter,
} from '@gradual/core';
import { createGatewayApiTrafficRouter, gatewayApiRoutingFromRollout } from '@gradual/gateway-api';
import { createIstioTrafficRouter, istioRoutingFromRollout } from '@gradual/istio';
import { createPrometheusProvider } from '@gradual/prometheus';
import type { KubeConfig } from '@kubernetes/client-node';
import type { RenderRouter } from '../render/render-traffic-states.js';
import { overridePrometheusAddress } from './override-prometheus-address.js';
import { readStatusFile, writeStatusFile } from './status-file.js';

/** What `runRolloutLive` drives. */
export interface RunRolloutInput {
  spec: RolloutSpec;
  templates: readonly AnalysisTemplate[];
  router: RenderRouter;
  kubeConfig: KubeConfig;
  /** Where the routed objects live; default the Rollout's namespace, else `default`. */
  namespace?: string | undefined;
  /** Prometheus to query instead of the address the templates name. */
  prometheus?: string | undefined;
  /** Resume from and save to this file. */
  statusFile?: string | undefined;
  /** The revision serving now, on the first run; default `stable`. */
  stableRevision?: string | undefined;
  clock?: Clock | undefined;
  signal: AbortSignal;
  /** One line per event, as `HH:MM:SS reason: message`. */
  onLine: (line: { at: number; type: 'Normal' | 'Warning'; text: string }) => void;
  /** The status after every step, and the clock's time then (epoch ms), e.g. for a live view. */
  onStatus?: ((status: RolloutStatus, now: number) => void) | undefined;
}

/**
 * A real rollout: the Istio or Gateway API router on the cluster the
 * kubeconfig names, Prometheus analysis, the status saved after every step
 * to `statusFile` and resumed from it. Resolves with the outcome; rejects
 * with a CancelledError when `signal` fires (the status is saved by then).
 */
export async function runRolloutLive(input: RunRolloutInput): Promise<RolloutResult> {
  const namespace = input.namespace ?? input.spec.namespace ?? 'default';
  const clock = input.clock ?? systemClock;
  const router: TrafficRouter =
    input.router === 'istio'
      ? createIstioTrafficRouter({ ...istioRoutingFromRollout(input.spec), namespace, kubeConfig: input.kubeConfig })
      : createGatewayApiTrafficRouter({
          ...gatewayApiRoutingFromRollout(input.spec),
          rolloutNamespace: namespace,
          kubeConfig: input.kubeConfig,
        });
  const templates = input.prometheus ? overridePrometheusAddress(input.templates, input.prometheus) : [...input.templates];
  const prometheus = createPrometheusProvider({ ...(input.prometheus ? { address: input.prometheus } : {}) });
  const analysis = templates.length > 0 ? createAnalysisRunner({ templates, providers: [prometheus], clock }) : undefined;
  const status = input.statusFile ? readStatusFile(input.statusFile) : undefined;
  if (status)
    input.onLine({
      at: clock.now(),
      type: 'Normal',
      text: `resuming from ${input.statusFile} at step ${status.currentStepIndex} (${status.phase})`,
    });
  const rollout = createRollout({
    spec: input.spec,
    router,
    analysis,
    clock,
    signal: input.signal,
    status,
    stableRevision: input.stableRevision ?? 'stable',
    onProgress: ({ status: next }) => {
      if (input.statusFile) writeStatusFile(input.statusFile, next);
      input.onStatus?.(next, clock.now());
    },
  });
  rollout.on((event) => input.onLine({ at: clock.now(), type: event.type, text: `${event.reason}: ${event.message}` }));
  try {
    const result = await rollout.run();
    if (input.statusFile) writeStatusFile(input.statusFile, result.status);
    return result;
  } finally {
    if (input.statusFile && rollout.status) writeStatusFile(input.statusFile, rollout.status);
    prometheus.close?.();
  }
}
