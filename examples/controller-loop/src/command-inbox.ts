import { readFileSync, renameSync, rmSync } from 'node:fs';
import type { RolloutCommand } from '@gradual/core';

/**
 * Commands a person drops for the controller, one JSON object per line
 * (`{"type":"promote"}`, `{"type":"abort","reason":"..."}`, `{"type":"retry"}`),
 * as `kubectl argo rollouts promote` leaves a mark on the Rollout for its
 * controller. `take` moves the file aside before reading it, so a line
 * appended meanwhile lands in a new file and is taken next time.
 */
export function createCommandInbox(path: string): { take(): RolloutCommand[] } {
  return {
    take() {
      const taken = `${path}.taken`;
      try {
        renameSync(path, taken);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      // A bad line throws and leaves `<path>.taken` for a person to look at.
      const commands = readFileSync(taken, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line, index) => {
          const command = JSON.parse(line) as RolloutCommand;
          if (!['promote', 'abort', 'retry'].includes(command.type)) {
            throw new Error(`${path} line ${index + 1}: unknown command ${JSON.stringify(command.type)}`);
          }
          return command;
        });
      rmSync(taken, { force: true });
      return commands;
    },
  };
}
