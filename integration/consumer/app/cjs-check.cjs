// Run by consumer.test.ts: every entry point loads with require().
const core = require('@gradual/core');
const testing = require('@gradual/core/testing');
const analysis = require('@gradual/analysis');
const prometheus = require('@gradual/prometheus');
const istio = require('@gradual/istio');
const gatewayApi = require('@gradual/gateway-api');

const spec = core.parseRollout({
  template: {},
  strategy: { canary: { steps: [{ setWeight: 50 }, { pause: { duration: '1m' } }] } },
});
const clock = testing.createFakeClock({ auto: true });
core
  .createRollout({ spec, router: testing.createMemoryRouter(), clock, stableRevision: 'stable-hash' })
  .run()
  .then((result) => {
    if (result.outcome !== 'Promoted') throw new Error(`expected Promoted, got ${result.outcome}`);
    for (const f of [
      analysis.createAnalysisRunner,
      prometheus.createPrometheusProvider,
      istio.createIstioTrafficRouter,
      gatewayApi.createGatewayApiTrafficRouter,
    ]) {
      if (typeof f !== 'function') throw new Error('missing export');
    }
    console.log(`cjs ok: ${result.outcome}`);
  })
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
