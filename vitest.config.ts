import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests import sibling packages from source, so `pnpm test` needs no build first.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@gradual\/core\/testing$/, replacement: src('./packages/core/src/testing/index.ts') },
      { find: /^@gradual\/core\/conformance$/, replacement: src('./packages/core/src/conformance/index.ts') },
      { find: /^@gradual\/core\/adapter$/, replacement: src('./packages/core/src/adapter/index.ts') },
      { find: /^@gradual\/core$/, replacement: src('./packages/core/src/index.ts') },
      { find: /^@gradual\/analysis$/, replacement: src('./packages/analysis/src/index.ts') },
      { find: /^@gradual\/prometheus$/, replacement: src('./packages/prometheus/src/index.ts') },
      { find: /^@gradual\/istio$/, replacement: src('./packages/istio/src/index.ts') },
      { find: /^@gradual\/gateway-api$/, replacement: src('./packages/gateway-api/src/index.ts') },
      { find: /^@gradual\/kubernetes$/, replacement: src('./packages/kubernetes/src/index.ts') },
      { find: /^@gradual\/cli$/, replacement: src('./packages/cli/src/index.ts') },
      { find: /^@gradual\/kube-api-test-server$/, replacement: src('./testing/kube-api-server/src/kube-api-server.ts') },
    ],
  },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'testing/*/test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'integration/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
