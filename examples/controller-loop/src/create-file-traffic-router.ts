import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrafficRouter, TrafficState } from '@gradual/core';
import { throwIfAborted, trafficStatesEqual } from '@gradual/core/adapter';

const initial: TrafficState = { canaryWeight: 0, headerRoutes: [], mirrorRoutes: [], experiments: [] };

/**
 * A stand-in data plane for the example: the traffic state lives in a JSON
 * file, so it outlives the controller process as a real mesh's
 * configuration does. Swap in `createIstioTrafficRouter` for a cluster.
 */
export function createFileTrafficRouter(path: string): TrafficRouter {
  const read = (): TrafficState => {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as TrafficState;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(initial);
      throw new Error(`could not read the traffic state ${path}: ${(error as Error).message}`, { cause: error });
    }
  };
  return {
    specificationVersion: 'v1',
    name: 'file',
    capabilities: { headerRoutes: true, mirrorRoutes: true, experiments: true, weightGranularity: 1 },
    async apply(desired, call) {
      throwIfAborted(call.signal, `file router apply to ${path}`);
      if (trafficStatesEqual(read(), desired)) return { changed: false };
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(`${path}.tmp`, `${JSON.stringify(desired, null, 2)}\n`);
      renameSync(`${path}.tmp`, path);
      return { changed: true };
    },
    async observe(call) {
      throwIfAborted(call.signal, `file router observe of ${path}`);
      return read();
    },
  };
}
