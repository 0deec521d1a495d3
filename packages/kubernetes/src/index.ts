export { KubernetesApiError, type KubernetesCallContext, toKubernetesApiError } from './kube/kubernetes-api-error.js';
export {
  managedByAnnotation,
  podTemplateHashLabel,
  revisionAnnotation,
  scaleDownDeadlineAnnotation,
} from './kube/labels.js';
export { type BucketRateLimiterOptions, createBucketRateLimiter } from './queue/create-bucket-rate-limiter.js';
export { createDefaultControllerRateLimiter } from './queue/create-default-controller-rate-limiter.js';
export {
  createExponentialRateLimiter,
  type ExponentialRateLimiterOptions,
} from './queue/create-exponential-rate-limiter.js';
export { createMaxOfRateLimiter } from './queue/create-max-of-rate-limiter.js';
export {
  createWorkQueue,
  type ProcessOptions,
  type ShutdownOptions,
  type WorkHandler,
  type WorkQueue,
  type WorkQueueOptions,
  type WorkResult,
} from './queue/create-work-queue.js';
export type { RateLimiter } from './queue/rate-limiter.js';
export { type AssignShardsRequest, assignShards } from './scale-out/assign-shards.js';
export {
  createLeaderElector,
  type LeaderElector,
  type LeaderElectorOptions,
} from './scale-out/create-leader-elector.js';
export { createShardManager, type ShardManager, type ShardManagerOptions } from './scale-out/create-shard-manager.js';
export { shardOf } from './scale-out/shard-of.js';
