import { createWebProvider } from '@gradual/analysis';
import type { Clock, Logger } from '@gradual/core';
import { createIstioTrafficRouter, istioRoutingFromRollout } from '@gradual/istio';
import { createRolloutController, type RolloutController } from '@gradual/kubernetes';
import { createPrometheusProvider } from '@gradual/prometheus';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Registry } from 'prom-client';

/** What the example's controller is made of. */
export interface ExampleControllerOptions {
  kubeConfig: KubeConfig;
  /** Namespaces to watch; all when empty. */
  namespaces: string[];
  clock: Clock;
  logger: Logger;
  registry: Registry;
  /** This replica's name in the leader Lease; with it, only the leader reconciles. */
  identity?: string | undefined;
  /** Namespace of the leader Lease (leader election on when set). */
  leaseNamespace?: string | undefined;
}

/**
 * The controller with what core leaves to the user: Istio for Rollouts that route traffic through it
 * (`routerFor`; Services-only Rollouts get the package's Service selector router by default), and the
 * Prometheus and web metric providers for AnalysisTemplates.
 */
export function createExampleController(options: ExampleControllerOptions): RolloutController {
  return createRolloutController({
    kubeConfig: options.kubeConfig,
    namespaces: options.namespaces,
    routerFor: ({ spec, namespace, kubeConfig }) =>
      spec.strategy.canary?.trafficRouting?.istio
        ? createIstioTrafficRouter({ ...istioRoutingFromRollout(spec), namespace, kubeConfig, manageServiceSelectors: true })
        : undefined,
    analysis: { providers: [createPrometheusProvider(), createWebProvider()] },
    clock: options.clock,
    logger: options.logger,
    metrics: options.registry,
    ...(options.leaseNamespace ? { identity: options.identity, leaderElection: { namespace: options.leaseNamespace } } : {}),
  });
}
