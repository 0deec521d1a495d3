// Run by consumer.test.ts with the packed packages installed from their tarballs.
import { readFileSync } from 'node:fs';
import { createAnalysisRunner, evaluateCondition } from '@gradual/analysis';
import { createRollout, parseRollout } from '@gradual/core';
import { createFakeClock, createMemoryRouter, createScriptedProvider } from '@gradual/core/testing';
import { createGatewayApiTrafficRouter, renderHttpRoute } from '@gradual/gateway-api';
import { createIstioTrafficRouter, renderVirtualService } from '@gradual/istio';
import { createPrometheusProvider } from '@gradual/prometheus';

const spec = parseRollout(readFileSync(new URL('./rollout-analysis.yaml', import.meta.url), 'utf8'));
const template = readFileSync(new URL('./analysistemplate-success-rate.yaml', import.meta.url), 'utf8');
const clock = createFakeClock({ auto: true });
const router = createMemoryRouter();
const provider = createScriptedProvider({ type: 'prometheus', script: { 'success-rate': [{ value: [0.99] }] } });
const analysis = createAnalysisRunner({ templates: [template], providers: [provider] });
const result = await createRollout({ spec, router, analysis, clock, stableRevision: 'stable-hash' }).run();
if (result.outcome !== 'Promoted') throw new Error(`expected Promoted, got ${result.outcome}`);
if (evaluateCondition('len(result) == 0 || result[0] >= 0.95', [0.97]) !== true) throw new Error('condition');
for (const f of [
  createIstioTrafficRouter,
  renderVirtualService,
  createPrometheusProvider,
  createGatewayApiTrafficRouter,
  renderHttpRoute,
]) {
  if (typeof f !== 'function') throw new Error('missing export');
}
console.log(`esm ok: ${result.outcome}`);
