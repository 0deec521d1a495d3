import { setMaxListeners } from 'node:events';

/** One measurement's hold on a guard. */
export interface MeasurementGuard {
  /** For the provider: aborts with the parent, or once the measurement has been cut off (and its bucket ended). */
  signal: AbortSignal;
  /** Lets go of the guard; call it when the measurement has ended. */
  release(): void;
}

// A guard per measurement (AbortController, timer, listener) cost more than the rest of a measurement's
// bookkeeping. Measurements that start close together with the same timeout and parent share a bucket: one
// controller and one timer. Each is still cut at its own deadline (`onCut`, from the bucket's timer); the
// shared signal is aborted for the providers once every measurement in the bucket has ended or been cut, at
// most one join window later. A bucket takes at most BUCKET_SIZE measurements, so whatever a provider leaves on
// its signal (listeners, `AbortSignal.any` entries) stays bounded and goes with the bucket.
const BUCKET_SIZE = 32;
/** How long a bucket takes new measurements: 1/64 of the timeout, at most 1 s; below 64 ms no sharing. */
const joinWindowOf = (ms: number) => Math.min(1_000, Math.floor(ms / 64));

interface Member {
  deadline: number;
  onCut: () => void;
}

interface Bucket {
  key: number;
  parent: AbortSignal;
  controller: AbortController;
  members: Set<Member>;
  joined: number;
  closesAt: number;
  /** Set once the join window is over: an empty bucket then ends. */
  closed: boolean;
  /** Whether a member was cut off: the signal is aborted when the bucket ends. */
  cut: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

// The open bucket per parent and timeout. Weak on the parent; at most one open bucket per timeout value.
const openBuckets = new WeakMap<AbortSignal, Map<number, Bucket>>();
// Every unended bucket per parent, under one listener per parent: a long-lived parent (a whole rollout's
// signal) would otherwise collect a listener per bucket, and removing one scans them all.
const bucketsUnder = new WeakMap<AbortSignal, Set<Bucket>>();

function watchParent(bucket: Bucket): void {
  const { parent } = bucket;
  let watched = bucketsUnder.get(parent);
  if (!watched) {
    const set = new Set<Bucket>();
    watched = set;
    bucketsUnder.set(parent, set);
    parent.addEventListener(
      'abort',
      () => {
        bucketsUnder.delete(parent);
        for (const each of set) abortWithParent(each);
      },
      { once: true },
    );
  }
  watched.add(bucket);
}

function abortWithParent(bucket: Bucket): void {
  bucket.controller.abort(bucket.parent.reason);
  const members = [...bucket.members];
  bucket.members.clear();
  endBucket(bucket);
  for (const member of members) member.onCut();
}

const timeoutReason = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');

/**
 * Joins a guard that cuts the measurement off `ms` (wall time) after now:
 * `onCut` is called then, or when `parent` aborts, unless released first.
 * `onCut` is never called after `release`.
 */
export function joinMeasurementGuard(ms: number, parent: AbortSignal, onCut: () => void): MeasurementGuard {
  if (parent.aborted) {
    const controller = new AbortController();
    controller.abort(parent.reason);
    queueMicrotask(onCut);
    return { signal: controller.signal, release: () => {} };
  }
  const now = performance.now();
  let buckets = openBuckets.get(parent);
  let bucket = buckets?.get(ms);
  if (!bucket || bucket.closed || bucket.joined >= BUCKET_SIZE || now >= bucket.closesAt) {
    // A bucket nobody holds any more ends now rather than at the end of its window.
    if (bucket && bucket.members.size === 0) endBucket(bucket);
    if (!buckets) {
      buckets = new Map();
      openBuckets.set(parent, buckets);
    }
    bucket = openBucket(ms, parent, now, buckets);
  }
  const member: Member = { deadline: now + ms, onCut };
  bucket.members.add(member);
  bucket.joined++;
  const joined = bucket;
  return {
    signal: joined.controller.signal,
    release: () => {
      if (!joined.members.delete(member)) return;
      if (joined.members.size === 0 && (joined.closed || joined.joined >= BUCKET_SIZE)) endBucket(joined);
    },
  };
}

function openBucket(ms: number, parent: AbortSignal, now: number, buckets: Map<number, Bucket>): Bucket {
  const controller = new AbortController();
  // Up to BUCKET_SIZE measurements' providers listen on it; that is not a leak.
  setMaxListeners(BUCKET_SIZE + 10, controller.signal);
  const bucket: Bucket = {
    key: ms,
    parent,
    controller,
    members: new Set(),
    joined: 0,
    closesAt: now + joinWindowOf(ms),
    closed: false,
    cut: false,
    timer: undefined,
  };
  watchParent(bucket);
  buckets.set(ms, bucket);
  arm(bucket, bucket.closesAt - now);
  return bucket;
}

function arm(bucket: Bucket, delay: number): void {
  const timer = setTimeout(() => tick(bucket), Math.max(0, delay));
  timer.unref?.();
  bucket.timer = timer;
}

// At the end of the join window, then at each member's deadline: cuts who is due, ends an empty closed bucket.
function tick(bucket: Bucket): void {
  bucket.timer = undefined;
  const now = performance.now();
  if (now >= bucket.closesAt && !bucket.closed) {
    bucket.closed = true;
    const buckets = openBuckets.get(bucket.parent);
    if (buckets?.get(bucket.key) === bucket) buckets.delete(bucket.key);
  }
  // Members joined in time order with one timeout: their deadlines are in order too.
  for (const member of bucket.members) {
    if (member.deadline > now) break;
    bucket.members.delete(member);
    bucket.cut = true;
    member.onCut();
  }
  if (bucket.controller.signal.aborted) return;
  if (bucket.closed && bucket.members.size === 0) {
    endBucket(bucket);
    return;
  }
  const next = bucket.members.values().next().value;
  arm(bucket, (next && bucket.closed ? next.deadline : bucket.closesAt) - now);
}

function endBucket(bucket: Bucket): void {
  if (bucket.timer !== undefined) clearTimeout(bucket.timer);
  bucket.timer = undefined;
  bucket.closed = true;
  const buckets = openBuckets.get(bucket.parent);
  if (buckets?.get(bucket.key) === bucket) buckets.delete(bucket.key);
  bucketsUnder.get(bucket.parent)?.delete(bucket);
  // The providers of cut-off measurements learn it now; nobody else listens any more.
  if (bucket.cut && !bucket.controller.signal.aborted) bucket.controller.abort(timeoutReason());
}
