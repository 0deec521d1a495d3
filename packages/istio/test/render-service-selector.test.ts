import { describe, expect, it } from 'vitest';
import { renderServiceSelector, type Service } from '../src/index.js';

const service = (): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'rollouts-demo-canary', resourceVersion: '9' },
  spec: { selector: { app: 'rollouts-demo' }, ports: [{ port: 80 }] },
});

describe('renderServiceSelector', () => {
  it('§7.1 host-level: the Service selects the revision by rollouts-pod-template-hash, everything else kept', () => {
    const current = service();
    const out = renderServiceSelector(current, '6d4f8b');
    expect(out.spec).toEqual({
      selector: { app: 'rollouts-demo', 'rollouts-pod-template-hash': '6d4f8b' },
      ports: [{ port: 80 }],
    });
    expect(out.metadata).toEqual(current.metadata);
    expect(current.spec?.selector).toEqual({ app: 'rollouts-demo' });
  });

  it('an undefined revision leaves the selector as it is', () => {
    expect(renderServiceSelector(service(), undefined)).toStrictEqual(service());
  });
});
