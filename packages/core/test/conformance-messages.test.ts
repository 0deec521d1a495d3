import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('./fixtures/broken-adapters/', import.meta.url));
const vitest = fileURLToPath(new URL('../../../node_modules/vitest/vitest.mjs', import.meta.url));

interface Report {
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

// The suites run in a child vitest against adapters that each break one rule; a user whose
// adapter breaks a rule must read which rule and what was seen, not "expected true to be false".
describe('conformance failures name the rule broken and what was seen', () => {
  it('for a router and a provider that break the contract', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradual-conformance-'));
    try {
      const out = join(dir, 'report.json');
      await promisify(execFile)(process.execPath, [vitest, 'run', '--root', root, '--reporter=json', `--outputFile=${out}`], {
        timeout: 60_000,
      }).catch((error: { code?: number }) => {
        if (error.code !== 1) throw error; // 1: tests failed, as they must
      });
      const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
      const failures = new Map(
        report.testResults
          .flatMap((file) => file.assertionResults)
          .filter((test) => test.status === 'failed')
          .map((test) => [test.title, test.failureMessages.join('\n')]),
      );
      expect([...failures.keys()].sort()).toEqual([
        'header routes',
        'idempotent apply',
        'keeps secrets out of errors',
        'mirror routes',
        'reports failure as ProviderError',
      ]);
      expect(failures.get('idempotent apply')).toContain(
        'apply() of the same state twice must return changed:false; the second call returned {"changed":true}',
      );
      expect(failures.get('header routes')).toContain(
        'apply() of a state with a header route again must return changed:false; it returned {"changed":true}',
      );
      expect(failures.get('reports failure as ProviderError')).toContain(
        'must reject with a GradualError (a ProviderError); it rejected with Error:',
      );
      const leak = failures.get('keeps secrets out of errors') ?? '';
      expect(leak).toContain('no credential may appear in an error');
      // The violation message itself does not repeat the secret.
      expect(leak).not.toContain('s3cr3t-t0ken');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
