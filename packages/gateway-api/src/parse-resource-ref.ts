/** A namespaced object reference. */
export interface ResourceRef {
  /** Object name. */
  name: string;
  /** Namespace of the object. */
  namespace: string;
}

/**
 * Reads Argo's `name` or `name.namespace` (optionally followed by
 * `.svc.cluster.local` or `.cluster.local`): the last dot segment is the
 * namespace, as in Argo Rollouts.
 */
export function parseResourceRef(reference: string, defaultNamespace: string): ResourceRef {
  const trimmed = reference.replace(/\.svc\.cluster\.local$/, '').replace(/\.cluster\.local$/, '');
  const dot = trimmed.lastIndexOf('.');
  if (dot <= 0) return { name: trimmed, namespace: defaultNamespace };
  return { name: trimmed.slice(0, dot), namespace: trimmed.slice(dot + 1) };
}
