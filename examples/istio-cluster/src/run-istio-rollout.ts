import { type AnalysisTemplateInput, createAnalysisRunner } from '@gradual/analysis';
import {
  type Clock,
  createRollout,
  type MetricProvider,
  parseRollout,
  type RolloutEvent,
  type RolloutResult,
  type RolloutSpec,
} from '@gradual/core';
import { createIstioTrafficRouter, istioRoutingFromRollout } from '@gradual/istio';
import { createPrometheusProvider } from '@gradual/prometheus';
import type { KubeConfig } from '@kubernetes/client-node';
import { requireClusterServer } from './require-cluster-server.js';

export interface IstioRolloutOptions {
  /** The Rollout manifest (YAML text or object), unchanged from Argo Rollouts. */
  rollout: string | object;
  /** The AnalysisTemplates it names. */
  templates: readonly AnalysisTemplateInput[];
  /** Cluster and credentials. */
  kubeConfig: KubeConfig;
  /** Namespace of the Rollout; defaults to its `metadata.namespace`, then the kubeconfig context's, then `default`. */
  namespace?: string;
  /**
   * The revision (pod-template hash) serving production now, e.g. from
   * `kubectl get rs -l app=rollouts-demo -o jsonpath='{..pod-template-hash}'`.
   */
  stableRevision?: string;
  /** Nothing serves yet: promote at once, skipping steps (Argo's first deploy). */
  initialDeploy?: boolean;
  /**
   * Prometheus to query when a metric names no `address` of its own
   * (the seed's does: `https://internal:secret@prometheus.istio-system...`).
   */
  prometheusAddress?: string;
  /** Replaces the default providers (`prometheus` only); tests pass scripted ones. */
  providers?: MetricProvider[];
  clock?: Clock;
  signal: AbortSignal;
  onEvent?: (event: RolloutEvent) => void;
}

/**
 * Runs a Rollout against a real cluster: traffic through Istio (the
 * Rollout's own `trafficRouting.istio` block), analysis through Prometheus,
 * everything else from the manifests as Argo Rollouts reads them. gradual
 * does not create the pods: deploy the new ReplicaSet (with its
 * `rollouts-pod-template-hash` label) the way you already do, then run this.
 */
export async function runIstioRollout(options: IstioRolloutOptions): Promise<RolloutResult & { spec: RolloutSpec }> {
  const spec = parseRollout(options.rollout);
  // Fail now, with what to fix, rather than after retries against a cluster that is not there.
  requireClusterServer(options.kubeConfig);
  const namespace = options.namespace ?? spec.namespace ?? contextNamespace(options.kubeConfig) ?? 'default';
  const router = createIstioTrafficRouter({
    ...istioRoutingFromRollout(spec),
    namespace,
    kubeConfig: options.kubeConfig,
  });
  const providers = options.providers ?? [
    createPrometheusProvider(options.prometheusAddress ? { address: options.prometheusAddress } : {}),
  ];
  const analysis = createAnalysisRunner({ templates: options.templates, providers });
  const rollout = createRollout({
    spec,
    router,
    analysis,
    ...(options.clock ? { clock: options.clock } : {}),
    signal: options.signal,
    ...(options.stableRevision ? { stableRevision: options.stableRevision } : {}),
    ...(options.initialDeploy ? { initialDeploy: true } : {}),
  });
  const unsubscribe = options.onEvent ? rollout.on(options.onEvent) : undefined;
  try {
    return { ...(await rollout.run()), spec };
  } finally {
    unsubscribe?.();
    for (const provider of providers) (provider as { close?: () => void }).close?.();
  }
}

function contextNamespace(kubeConfig: KubeConfig): string | undefined {
  return kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
}
