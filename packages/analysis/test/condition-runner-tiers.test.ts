import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileCondition } from '@gradual/analysis';
import { describe, expect, it } from 'vitest';

// A condition runs as a closure tree for its first evaluations, then as a generated function of its own;
// where the host forbids code generation it stays a closure tree. All three must give the same answers.
const cases: { expression: string; value: unknown }[] = [
  { expression: 'len(result) == 0 || result[0] >= 0.95', value: [0.97] },
  { expression: 'len(result) == 0 || result[0] >= 0.95', value: [0.5] },
  { expression: 'len(result) == 0 || result[0] >= 0.95', value: ['x'] },
  { expression: 'all(result, {# > 0.9})', value: [0.95, 0.2] },
  { expression: 'result.p99 < 300 && result.errors == 0', value: { p99: 250, errors: 0 } },
  { expression: 'result.p99 < 300 && result.errors == 0', value: { p99: 'slow' } },
  { expression: 'default(result, 0) < 0.05', value: null },
  { expression: 'asFloat(result) >= 0.99', value: '0.995' },
  { expression: 'result[3]', value: [1] },
  { expression: 'result', value: 1 },
];

// Evaluates each case `times` times with its own compiled condition and gives the last outcome of each as
// text. Source text, so that the child process below runs the very same code.
const OUTCOMES = `(compileCondition, cases, times) => cases.map(({ expression, value }) => {
  const condition = compileCondition(expression);
  let outcome = '';
  for (let i = 0; i < times; i++) {
    try {
      outcome = String(condition.evaluate(value));
    } catch (error) {
      outcome = 'error: ' + error.message;
    }
  }
  return outcome;
})`;
const outcomes = (times: number): string[] => new Function(`return ${OUTCOMES}`)()(compileCondition, cases, times);

describe('condition runner tiers', () => {
  it('gives the same outcomes as a closure tree and as a generated function', () => {
    expect(outcomes(200)).toEqual(outcomes(1));
  });

  it('gives the same outcomes where the host forbids code generation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradual-nogen-'));
    try {
      const script = join(dir, 'outcomes.ts');
      const source = fileURLToPath(new URL('../src/index.ts', import.meta.url));
      writeFileSync(
        script,
        [
          `import { compileCondition } from ${JSON.stringify(source)};`,
          `const cases = ${JSON.stringify(cases)};`,
          `const outcomes = ${OUTCOMES};`,
          'let generation = true;',
          "try { new Function('return 1'); } catch { generation = false; }",
          'console.log(JSON.stringify({ generation, outcomes: outcomes(compileCondition, cases, 200) }));',
        ].join('\n'),
      );
      const child = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '--import', 'tsx', script], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        encoding: 'utf8',
      });
      expect(child.stderr).toBe('');
      const report = JSON.parse(child.stdout) as { generation: boolean; outcomes: string[] };
      expect(report.generation).toBe(false);
      expect(report.outcomes).toEqual(outcomes(200));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps an evaluation whole when the caller re-enters it from options.now', () => {
    const condition = compileCondition('len(result) == 1 && result[0] >= 0.95 && now().UnixMilli() == 1000');
    // `options.now` is the one thing of the caller's an evaluation reads; here it evaluates the same
    // condition on other data before answering. Both tiers: the closure tree, then the generated function.
    const options = {
      get now() {
        expect(condition.evaluate([0.1, 0.2])).toBe(false);
        return 1_000;
      },
    };
    for (let i = 0; i < 200; i++) expect(condition.evaluate([0.97], options)).toBe(true);
  });
});
