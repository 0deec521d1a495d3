import { afterEach } from 'vitest';

/**
 * For a conformance suite: `fresh()` creates the adapter under test through
 * the caller's factory, and whatever cleanup it returned runs after the case.
 * Call inside a `describe`.
 */
export function freshPerCase<T extends { cleanup?: (() => Promise<void>) | undefined }>(
  create: () => Promise<T>,
): () => Promise<T> {
  let cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups) await cleanup();
    cleanups = [];
  });
  return async () => {
    const created = await create();
    if (created.cleanup) cleanups.push(created.cleanup);
    return created;
  };
}
