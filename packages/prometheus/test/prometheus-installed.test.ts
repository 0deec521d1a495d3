import { describe, expect, it } from 'vitest';
import { INSTALL_HINT, prometheusInstalled, prometheusRequired } from './support/prometheus-availability.js';

// CI sets GRADUAL_REQUIRE_PROMETHEUS=1: a missing binary must show as a failed test, not as skipped ones.
describe('the real Prometheus the tests need', () => {
  it.skipIf(!prometheusRequired)('is installed (GRADUAL_REQUIRE_PROMETHEUS=1)', () => {
    expect(prometheusInstalled, INSTALL_HINT).toBe(true);
  });
});
