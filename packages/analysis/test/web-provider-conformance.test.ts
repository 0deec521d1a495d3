import { describeMetricProviderConformance } from '@gradual/core/conformance';
import { createWebProvider } from '../src/index.js';
import { startHttpServer } from './web-test-server.js';

describeMetricProviderConformance({
  name: 'web',
  create: async () => {
    const server = await startHttpServer();
    const withCredentials = server.url.replace('http://', 'http://probe:conformance-s3cret@');
    return {
      provider: createWebProvider(),
      fixtures: {
        ok: {
          name: 'ok',
          successCondition: 'result == true',
          provider: { web: { url: `${server.url}/ok`, jsonPath: '{$.data.ok}' } },
        },
        broken: {
          name: 'broken',
          provider: {
            web: { url: `${withCredentials}/error`, headers: [{ key: 'Authorization', value: 'Bearer conformance-t0ken' }] },
          },
        },
        slow: { name: 'slow', provider: { web: { url: `${server.url}/slow`, timeoutSeconds: 30 } } },
      },
      secrets: ['conformance-s3cret', 'conformance-t0ken'],
      cleanup: () => server.close(),
    };
  },
});
