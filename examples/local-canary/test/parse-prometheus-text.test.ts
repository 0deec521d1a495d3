import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../src/metrics/parse-prometheus-text.js';

describe('parsePrometheusText', () => {
  it('reads what prom-client serves, escaped label values included', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'x_total', help: 'h', labelNames: ['a', 'b'], registers: [registry] });
    counter.inc({ a: 'plain', b: 'quote " and \\ backslash' }, 3);
    counter.inc({ a: 'new\nline', b: '' }, 1.5);
    const samples = parsePrometheusText(await registry.metrics());
    expect(samples).toEqual([
      { name: 'x_total', labels: { a: 'plain', b: 'quote " and \\ backslash' }, value: 3 },
      { name: 'x_total', labels: { a: 'new\nline', b: '' }, value: 1.5 },
    ]);
  });

  it('unescapes in one pass: an escaped backslash before n is a backslash and an n, not a newline', () => {
    expect(parsePrometheusText('x{path="C:\\\\new",q="say \\"hi\\"",m="a\\nb"} 1')).toEqual([
      { name: 'x', labels: { path: 'C:\\new', q: 'say "hi"', m: 'a\nb' }, value: 1 },
    ]);
  });

  it('reads samples without labels and with timestamps, and special values', () => {
    expect(parsePrometheusText('up 1\nx{a="b"} NaN 1700000000000\ny +Inf\n')).toEqual([
      { name: 'up', labels: {}, value: 1 },
      { name: 'x', labels: { a: 'b' }, value: Number.NaN },
      { name: 'y', labels: {}, value: Number.POSITIVE_INFINITY },
    ]);
  });

  it('throws on a malformed line with its number, rather than reading it as no traffic', () => {
    expect(() => parsePrometheusText('# HELP x\nx{a="b" 1\n')).toThrow(/line 2/);
    expect(() => parsePrometheusText('x{a=b} 1')).toThrow(/line 1/);
  });
});
