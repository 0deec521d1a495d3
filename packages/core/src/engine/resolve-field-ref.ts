import type { RolloutSpec } from '../manifest/rollout-types.js';

/**
 * Resolves an analysis arg's `valueFrom.fieldRef.fieldPath` against the
 * Rollout, as Argo does: `metadata.name`, `metadata.namespace`,
 * `metadata.labels['k']` / `metadata.annotations['k']` (the downward API's
 * syntax), or a path walked through the Rollout (`spec.template.metadata.labels.version`),
 * which must end on a string, number or boolean. Undefined when it cannot.
 */
export function resolveFieldRef(spec: RolloutSpec, fieldPath: string): string | undefined {
  const rollout = {
    metadata: {
      name: spec.name,
      ...(spec.namespace ? { namespace: spec.namespace } : {}),
      labels: spec.labels ?? {},
      annotations: spec.annotations ?? {},
    },
    spec: {
      replicas: spec.replicas,
      selector: spec.selector,
      template: spec.template,
      strategy: spec.strategy,
      paused: spec.paused,
    },
  };
  // `a.b['c.d'][0]` → ['a', 'b', 'c.d', '0']
  const parts: string[] = [];
  const pattern = /([^.[\]]+)|\[(?:'([^']*)'|"([^"]*)"|(\d+))\]/g;
  for (const match of fieldPath.matchAll(pattern)) parts.push((match[1] ?? match[2] ?? match[3] ?? match[4]) as string);
  let value: unknown = rollout;
  for (const part of parts) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}
