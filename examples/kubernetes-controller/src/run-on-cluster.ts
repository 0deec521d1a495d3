import { hostname } from 'node:os';
import type { Clock, Logger } from '@gradual/core';
import { KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { createExampleController } from './create-controller.js';
import { serveMetrics } from './serve-metrics.js';

/** What `--kubeconfig` mode takes from the command line. */
export interface ClusterOptions {
  kubeconfig: string;
  namespaces: string[];
  /** Namespace of the leader Lease; leader election is on when given. */
  leaseNamespace?: string | undefined;
  metricsPort?: number | undefined;
  clock: Clock;
  logger: Logger;
  /** Fires on SIGTERM/SIGINT: the controller stops (reconciles in flight finish, the Lease is released). */
  signal: AbortSignal;
}

/** Runs the controller against the cluster of a kubeconfig until `signal` fires. */
export async function runOnCluster(options: ClusterOptions): Promise<void> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(options.kubeconfig);
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error(`the kubeconfig ${options.kubeconfig} has no current context with a cluster`);
  const registry = new Registry();
  const controller = createExampleController({
    kubeConfig,
    namespaces: options.namespaces,
    clock: options.clock,
    logger: options.logger,
    registry,
    identity: `${hostname()}-${process.pid}`,
    leaseNamespace: options.leaseNamespace,
  });
  const metrics = options.metricsPort === undefined ? undefined : await serveMetrics(registry, options.metricsPort);
  options.logger.info(`watching Rollouts on ${cluster.server}`, {
    namespaces: options.namespaces.length > 0 ? options.namespaces : ['(all)'],
  });
  await controller.start();
  try {
    await new Promise<void>((resolve) => {
      if (options.signal.aborted) resolve();
      else options.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    options.logger.info('stopping: reconciles in flight finish, then the leases are released');
    await controller.stop();
    metrics?.close();
  }
}
