import { createRedactor } from '@gradual/core/adapter';
import { describe, expect, it } from 'vitest';
import { describeQueryFailure } from '../src/describe-query-failure.js';

describe('describeQueryFailure', () => {
  it('redacts a body before shortening it, so no start of a password is left', () => {
    const password = 'correct-horse-battery-staple';
    const body = `${'.'.repeat(100)} password=${password}`;
    const failure = describeQueryFailure(
      { kind: 'answer', answer: { status: 502, contentType: 'text/plain', body } },
      { display: 'https://prometheus:9090', metricName: 'success-rate', redact: createRedactor([password]) },
    );
    expect(failure?.message).toContain('password=*****');
    expect(failure?.message).not.toContain('correct-ho');
  });
});
