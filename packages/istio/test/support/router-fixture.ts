import { type CallOptions, systemClock } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import type { KubeApiServer } from '@gradual/kube-api-test-server';
import type { VirtualService } from '../../src/index.js';

/** CallOptions on a fake clock in auto mode: backoff sleeps pass at once, no real waiting. */
export function fastCall(signal: AbortSignal = new AbortController().signal): CallOptions {
  return { signal, clock: createFakeClock({ auto: true, start: Date.UTC(2026, 0, 1) }) };
}

/** CallOptions on the real clock (no sleeps are expected). */
export function realCall(signal: AbortSignal = new AbortController().signal): CallOptions {
  return { signal, clock: systemClock };
}

let counter = 0;
/** A fresh object name per test, so tests sharing one server never meet. */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}-${counter}`;
}

/** Host-level VirtualService with `routes` (each stable 100 / canary 0) plus a user route. */
export function hostLevelVirtualService(name: string, routes: string[] = ['primary']): VirtualService {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name },
    spec: {
      hosts: ['app.example.com'],
      http: [
        ...routes.map((route) => ({
          name: route,
          route: [
            { destination: { host: 'stable-svc' }, weight: 100 },
            { destination: { host: 'canary-svc' }, weight: 0 },
          ],
        })),
        { name: 'user-owned', route: [{ destination: { host: 'legacy-svc' } }] },
      ],
    },
  };
}

/** Weights of an http route by host, read straight from the server's store. */
export function weightsIn(
  server: KubeApiServer,
  namespace: string,
  name: string,
  route: string,
): Record<string, number | undefined> {
  const vs = server.get('virtualservices', namespace, name) as unknown as VirtualService | undefined;
  const found = vs?.spec.http?.find((r) => r.name === route);
  return Object.fromEntries((found?.route ?? []).map((d) => [d.destination.subset ?? d.destination.host, d.weight]));
}
