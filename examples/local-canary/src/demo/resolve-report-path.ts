import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Where `--report <file>` goes: a relative path is taken from the directory
 * the user ran `pnpm demo` in (`INIT_CWD`, which pnpm sets; `pnpm -C` moves
 * the process into the example's folder), else from the process' own. Throws
 * when the file cannot be written, so that the check happens before the
 * rollout starts, not after a minute of it.
 */
export function resolveReportPath(report: string, from: { initCwd?: string | undefined; cwd: string }): string {
  const path = resolve(from.initCwd || from.cwd, report);
  const problem = (reason: string) => new Error(`--report ${report}: cannot write ${path}: ${reason}`);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw problem('it is a directory');
  const target = stat ? path : dirname(path);
  if (!stat && !statSync(target, { throwIfNoEntry: false })?.isDirectory()) throw problem(`${target} is not a directory`);
  try {
    accessSync(target, constants.W_OK);
  } catch (error) {
    throw Object.assign(problem(error instanceof Error ? error.message : String(error)), { cause: error });
  }
  return path;
}
