import { execFileSync } from 'node:child_process';

function onPath(binary: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** How to get the binaries, shown whenever they are missing. */
export const INSTALL_HINT =
  "Debian's prometheus package is not installed: apt-get update && apt-get install -y --no-install-recommends prometheus";

/** Both `prometheus` and `promtool` are on the PATH. */
export const prometheusInstalled = onPath('prometheus') && onPath('promtool');

/** CI sets GRADUAL_REQUIRE_PROMETHEUS=1: then a missing binary fails the tests instead of skipping them. */
export const prometheusRequired = process.env.GRADUAL_REQUIRE_PROMETHEUS === '1';

/** True when the real-server tests should be skipped (binary missing and not required). */
export const skipWithoutPrometheus = !prometheusInstalled && !prometheusRequired;

/** Suffix for `describe` titles, so a skipped run says why and how to fix it. */
export const prometheusSkipNote = skipWithoutPrometheus ? ` (skipped: ${INSTALL_HINT})` : '';

if (skipWithoutPrometheus) console.warn(`[@gradual/prometheus] real-Prometheus tests skipped. ${INSTALL_HINT}`);
