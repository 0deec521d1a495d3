import type { CallOptions } from '@gradual/core';

/**
 * Reads a secret for `valueFrom.secretKeyRef` args, e.g. from Kubernetes or a
 * vault. Called at measurement time; its value is never stored in the run
 * state and is shown as `*****` in messages.
 */
export type SecretResolver = (ref: { name: string; key: string }, options: CallOptions) => Promise<string>;
