import { createProxy, type DemoProxy } from '../../src/proxy/create-proxy.js';
import type { ProxyBackend } from '../../src/proxy/routing-table.js';
import { createProxyTrafficRouter } from '../../src/router/create-proxy-traffic-router.js';
import { startVersionService, type VersionService } from '../../src/services/start-version-service.js';

/** Real v1 and v2 services and a proxy on loopback, with the router over revisions `rev-stable` / `rev-canary`. */
export async function startRoutingFixture(options: { failShare?: number; managedRoutes?: string[] } = {}) {
  const v1: VersionService = await startVersionService({ version: 'v1' });
  const v2: VersionService = await startVersionService({ version: 'v2', failShare: options.failShare ?? 0 });
  const stable: ProxyBackend = { version: 'v1', service: 'stable.demo.svc', url: v1.url };
  const canary: ProxyBackend = { version: 'v2', service: 'canary.demo.svc', url: v2.url };
  const proxy: DemoProxy = await createProxy({ stable, stableRevision: 'rev-stable' });
  const router = createProxyTrafficRouter({
    dataPlane: proxy,
    backends: { 'rev-stable': stable, 'rev-canary': canary },
    ...(options.managedRoutes ? { managedRoutes: options.managedRoutes } : {}),
  });
  return {
    v1,
    v2,
    proxy,
    router,
    async close() {
      await proxy.close();
      await v1.close();
      await v2.close();
    },
  };
}

/** Sends one GET through the proxy; the answering version and status. */
export async function get(url: string, headers: Record<string, string> = {}): Promise<{ version: string; status: number }> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(5_000) });
  const body = (await response.json()) as { version: string };
  return { version: body.version, status: response.status };
}
