import { describe, expect, it } from 'vitest';
import { parseGoTime } from '../src/parse-go-time.js';
import { parseSampleValue } from '../src/parse-sample-value.js';
import { resolveAddress } from '../src/resolve-address.js';
import { stripTags } from '../src/strip-tags.js';

// Issue #17: no regular expression or scan of ours is worse than linear. Each case took seconds to minutes
// with the regex it replaces; the bound is the test's timeout, not a timed assertion.
describe('scans of text from servers and templates are linear', () => {
  it('stripTags removes tags like /<[^>]*>/g, and 100,000 `<` take one pass', { timeout: 2_000 }, () => {
    expect(stripTags('<p>Bad <b>gateway</b></p> a < b')).toBe(' Bad  gateway   a < b');
    expect(stripTags('<a <b> c')).toBe('  c');
    const angles = '<'.repeat(100_000);
    expect(stripTags(angles)).toBe(angles);
  });

  it('parseSampleValue reads what Prometheus writes, and refuses 100,000 digits and an x at once', { timeout: 2_000 }, () => {
    expect(parseSampleValue('0.99')).toBe(0.99);
    expect(parseSampleValue('1.')).toBe(1);
    expect(parseSampleValue('.5e-3')).toBe(0.0005);
    expect(parseSampleValue('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseSampleValue('1.2.3')).toBeUndefined();
    expect(parseSampleValue(`${'1'.repeat(100_000)}x`)).toBeUndefined();
  });

  it('a Go time layout of many variable-width elements does not backtrack (it was exponential)', { timeout: 2_000 }, () => {
    expect(parseGoTime('2006-1-2 15:4:5', '2024-3-4 5:6:7')).toBe(Date.UTC(2024, 2, 4, 5, 6, 7));
    expect(parseGoTime('Jan _2 2006', 'Mar  4 2024')).toBe(Date.UTC(2024, 2, 4));
    expect(() => parseGoTime('1'.repeat(40), `${'9'.repeat(80)}x`)).toThrow(/^parsing time "9{64}…" as "1{40}": cannot parse$/);
  });

  it('an address with 100,000 slashes in its path loses only its trailing ones', { timeout: 2_000 }, () => {
    const address = `http://prometheus:9090${'/'.repeat(100_000)}x///`;
    const { endpoint } = resolveAddress({ metric: address, env: {}, metricName: 'm' });
    expect(endpoint.endsWith('/x')).toBe(true);
  });
});
