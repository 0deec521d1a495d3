import {
  type AnalysisRunner,
  CancelledError,
  type Clock,
  type ReconcileResult,
  type RolloutCommand,
  type RolloutSpec,
  reconcile,
  type TrafficRouter,
} from '@gradual/core';
import { readStatusFile, writeStatusFile } from './status-file.js';

export interface ControllerOptions {
  spec: RolloutSpec;
  /** Where the status lives between reconciles and across restarts. */
  statusFile: string;
  router: TrafficRouter;
  analysis?: AnalysisRunner;
  clock: Clock;
  signal: AbortSignal;
  /** For the very first reconcile only: the revision serving production now. */
  stableRevision?: string;
  /** Commands waiting for this pass (promote, abort, retry). */
  takeCommands?: () => RolloutCommand[];
  /** With `takeCommands`: the longest sleep between reconciles, i.e. how soon a command is taken (also during a timed pause); default 5 s. */
  idleRecheckMs?: number;
  /** Hard bound on reconciles in this process. */
  maxReconciles?: number;
  onReconcile?: (result: ReconcileResult) => void;
}

export type ControllerOutcome = 'Promoted' | 'Aborted' | 'Stopped';

/**
 * The smallest useful controller: read the status, `reconcile` once,
 * persist what it returns, sleep as long as it asks (`requeueAfterMs`) — with
 * `takeCommands`, no longer than `idleRecheckMs`, so that a command is taken
 * promptly even during a timed pause — and
 * again, until the rollout is promoted or aborted. It also persists after
 * every intent (`onProgress`), so a crash between "traffic moved" and "the
 * pass ended" loses nothing. Stopped by its signal, it resumes where the
 * file says on the next start: a pause counts from when it began, not from
 * the restart, and no step runs twice.
 */
export async function runController(options: ControllerOptions): Promise<ControllerOutcome> {
  const maxReconciles = options.maxReconciles ?? 10_000;
  const idleRecheckMs = options.idleRecheckMs ?? 5_000;
  for (let pass = 0; pass < maxReconciles; pass++) {
    if (options.signal.aborted) return 'Stopped';
    const status = readStatusFile(options.statusFile);
    let result: ReconcileResult;
    try {
      result = await reconcile({
        spec: options.spec,
        status,
        router: options.router,
        ...(options.analysis ? { analysis: options.analysis } : {}),
        clock: options.clock,
        signal: options.signal,
        commands: options.takeCommands?.() ?? [],
        ...(status === null && options.stableRevision ? { stableRevision: options.stableRevision } : {}),
        onProgress: ({ status: progress }) => writeStatusFile(options.statusFile, progress),
      });
    } catch (error) {
      if (CancelledError.isCancellation(error)) return 'Stopped';
      throw error;
    }
    writeStatusFile(options.statusFile, result.status);
    options.onReconcile?.(result);
    const { status: next } = result;
    if (next.phase === 'Healthy' && next.stableRevision === next.currentRevision) return 'Promoted';
    if (next.abort && !next.trafficError) return 'Aborted';
    try {
      // With an inbox, wake at least every idleRecheckMs, so that a command written during a long pause is taken promptly.
      const requeueMs = result.requeueAfterMs ?? idleRecheckMs;
      await options.clock.sleep(options.takeCommands ? Math.min(requeueMs, idleRecheckMs) : requeueMs, options.signal);
    } catch (error) {
      if (CancelledError.isCancellation(error)) return 'Stopped';
      throw error;
    }
  }
  throw new Error(`the controller reconciled ${maxReconciles} times without the rollout ending; is a command missing?`);
}
