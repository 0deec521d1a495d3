import type { Clock } from '@gradual/core';
import { type V1Lease, V1MicroTime } from '@kubernetes/client-node';
import { KubernetesApiError } from '../kube/kubernetes-api-error.js';
import type { LeaseClient } from './lease-client.js';

/** Options of {@link createLeaseHolder}. */
export interface LeaseHolderOptions {
  client: LeaseClient;
  /** Lease name. */
  name: string;
  identity: string;
  leaseDurationMs: number;
  clock: Clock;
  /** Labels on a Lease this holder creates (so a replica can find its peers' Leases). */
  labels?: Record<string, string> | undefined;
}

/** What one attempt to acquire or renew found. */
export type LeaseAttempt = 'held' | 'taken' | 'conflict';

/**
 * One Lease as client-go's `LeaderElector` holds it: acquired when absent,
 * released (no holder) or expired, renewed while held, with expiry judged by
 * when *this* process last saw the record change (its observed time), never
 * by the timestamps in the record, so the clocks of other machines do not matter.
 */
export interface LeaseHolder {
  /**
   * Acquires or renews the Lease (one GET, or none when `current` is given
   * from a list, then one create or PUT with the resourceVersion read).
   * `held`: this identity holds it now; `taken`: someone else holds a valid
   * lease; `conflict`: a concurrent writer won (409). Other failures throw.
   */
  tryAcquireOrRenew(signal: AbortSignal, current?: V1Lease | null | undefined): Promise<LeaseAttempt>;
  /** Feeds a read of the Lease (from a list): updates the observed record and its observed time. */
  observe(lease: V1Lease | null): void;
  /** Clears the holder (as client-go's ReleaseOnCancel) if this identity holds it; a conflict means someone else already took over. */
  release(signal: AbortSignal): Promise<void>;
  /** The holder seen in the last read, while its lease is valid; undefined when free or expired. */
  holder(): string | undefined;
  /** When the holder seen in the last read expires in this process's eyes (observed time + its duration); undefined when free. */
  validUntil(): number | undefined;
  /** Transitions recorded on the Lease at the last read. */
  transitions(): number;
}

/** Fields whose change resets the observed time (client-go compares the whole record). */
const fingerprint = (lease: V1Lease) => {
  const spec = lease.spec ?? {};
  return JSON.stringify([
    spec.holderIdentity ?? '',
    spec.leaseDurationSeconds ?? 0,
    spec.leaseTransitions ?? 0,
    spec.acquireTime ? new V1MicroTime(spec.acquireTime).getTime() : 0,
    spec.renewTime ? new V1MicroTime(spec.renewTime).getTime() : 0,
  ]);
};

/** Creates a {@link LeaseHolder}. */
export function createLeaseHolder(options: LeaseHolderOptions): LeaseHolder {
  const { client, name, identity, clock } = options;
  const durationSeconds = Math.max(1, Math.ceil(options.leaseDurationMs / 1000));
  let observed: V1Lease | null = null;
  let observedPrint = '';
  let observedTime = 0;

  const observe = (lease: V1Lease | null, at = clock.now()) => {
    if (lease === null) {
      observed = null;
      observedPrint = '';
      return;
    }
    const print = fingerprint(lease);
    if (print !== observedPrint) observedTime = at;
    observedPrint = print;
    observed = lease;
  };

  const validUntil = (): number | undefined => {
    if (!observed?.spec?.holderIdentity) return undefined;
    return observedTime + (observed.spec.leaseDurationSeconds ?? durationSeconds) * 1000;
  };
  const validHolder = (now: number): string | undefined => {
    const until = validUntil();
    return until !== undefined && until > now ? observed?.spec?.holderIdentity : undefined;
  };

  const write = async (lease: V1Lease, signal: AbortSignal, create: boolean, at: number): Promise<LeaseAttempt> => {
    try {
      const stored = create ? await client.create(lease, signal) : await client.replace(lease, signal);
      observe(stored, at);
      return 'held';
    } catch (error) {
      if (KubernetesApiError.isConflict(error)) return 'conflict';
      throw error;
    }
  };

  return {
    observe: (lease) => observe(lease),
    async tryAcquireOrRenew(signal, current) {
      const now = clock.now();
      let lease = current;
      if (lease === undefined) {
        try {
          lease = await client.get(name, signal);
        } catch (error) {
          if (!KubernetesApiError.isNotFound(error)) throw error;
          lease = null;
        }
      }
      const stamp = new V1MicroTime(now);
      if (lease === null) {
        observe(null);
        const fresh: V1Lease = {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, ...(options.labels ? { labels: options.labels } : {}) },
          spec: {
            holderIdentity: identity,
            leaseDurationSeconds: durationSeconds,
            acquireTime: stamp,
            renewTime: stamp,
            leaseTransitions: 0,
          },
        };
        return write(fresh, signal, true, now);
      }
      observe(lease, now);
      const holder = validHolder(now);
      if (holder !== undefined && holder !== identity) return 'taken';
      const spec = lease.spec ?? {};
      const mine = spec.holderIdentity === identity;
      const next: V1Lease = {
        ...lease,
        spec: {
          ...spec,
          holderIdentity: identity,
          leaseDurationSeconds: durationSeconds,
          renewTime: stamp,
          acquireTime: mine && spec.acquireTime ? spec.acquireTime : stamp,
          leaseTransitions: mine ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
        },
      };
      return write(next, signal, false, now);
    },
    async release(signal) {
      // A renew of ours may race the release: on a 409, re-read and retry while the holder is still us.
      for (let attempt = 0; attempt < 3; attempt++) {
        const lease = observed;
        if (lease?.spec?.holderIdentity !== identity) return;
        const stamp = new V1MicroTime(clock.now());
        const { holderIdentity: _dropped, ...spec } = lease.spec;
        try {
          const stored = await client.replace(
            { ...lease, spec: { ...spec, leaseDurationSeconds: 1, acquireTime: stamp, renewTime: stamp } },
            signal,
          );
          observe(stored);
          return;
        } catch (error) {
          if (!KubernetesApiError.isConflict(error)) throw error;
        }
        try {
          observe(await client.get(name, signal));
        } catch (error) {
          if (KubernetesApiError.isNotFound(error)) return;
          throw error;
        }
      }
    },
    holder: () => validHolder(clock.now()),
    validUntil,
    transitions: () => observed?.spec?.leaseTransitions ?? 0,
  };
}
