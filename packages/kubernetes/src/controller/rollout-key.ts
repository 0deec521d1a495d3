import type { RolloutRef } from './controller-parts.js';

/** The work queue's key of a rollout: `namespace/name`, as client-go's MetaNamespaceKeyFunc. */
export function rolloutKey(ref: RolloutRef): string {
  return `${ref.namespace}/${ref.name}`;
}

/** The rollout a queue key names. Names and namespaces hold no `/`, so the first one splits them. */
export function parseRolloutKey(key: string): RolloutRef {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
