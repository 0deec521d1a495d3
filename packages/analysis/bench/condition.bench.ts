// Benchmark of the condition language (`pnpm bench analysis`). Runs standalone:
//   node --expose-gc --import tsx packages/analysis/bench/condition.bench.ts
// Compares, in one process and on the same input, a compiled condition with
// a hand-written closure that does the same checks, and with expr-eval-fork
// evaluating its own spelling of the condition, pre-parsed; plus compile time.
import { Parser, type Value } from 'expr-eval-fork';
import { reportRows } from '../../../scripts/bench-report.js';
import { unwrapChecked } from '../src/condition/check-result.js';
import { checkedRunnerOf } from '../src/condition/compile-condition.js';
import { checkResult, compileCondition } from '../src/index.js';

const EXPRESSION = 'len(result) == 0 || result[0] >= 0.95';
// expr-eval's spelling: `or` (its `||` is concatenation), `length(...)`.
const EXPR_EVAL_EXPRESSION = 'length(result) == 0 or result[0] >= 0.95';
const RESULT = [0.97];
// Equal but distinct arrays, as each measurement brings a fresh one; it also keeps the JIT
// from hoisting the hand-written closure out of its loop as loop-invariant.
const INPUTS = Array.from({ length: 1024 }, () => [...RESULT]);
// What the analysis run hands to its conditions: each measured value checked and copied once
// (`checkResult`), then read by the success and the failure condition without a second check.
const CHECKED = INPUTS.map((input) => checkResult(input));
const CHECKED_DATA = CHECKED.map((checked) => unwrapChecked(checked));
const MASK = INPUTS.length - 1;
const ROUNDS = 15;

let sink = 0;

// The same work as the condition, with the same type checks (len needs an array; >= needs a number).
const handWritten = (result: unknown): boolean => {
  if (!Array.isArray(result)) throw new TypeError('invalid argument for len');
  if (result.length === 0) return true;
  const first: unknown = result[0];
  if (typeof first !== 'number') throw new TypeError('invalid operation: >=');
  return first >= 0.95;
};

const compiled = compileCondition(EXPRESSION);
// The analysis run's path: the condition evaluated on data it checked once per measurement.
const runner = checkedRunnerOf(compiled) as NonNullable<ReturnType<typeof checkedRunnerOf>>;
const exprEval = new Parser().parse(EXPR_EVAL_EXPRESSION);
// expr-eval's typings omit arrays, which it evaluates fine.
const exprEvalScopes = INPUTS.map((result) => ({ result }) as unknown as Value);

// One loop per candidate, so that no call site sees more than one function
// (a shared, megamorphic call site would slow whichever candidate runs last).
const loops = {
  gradual: (n: number) => {
    for (let i = 0; i < n; i++) sink += runner(CHECKED_DATA[i & MASK]) ? 1 : 0;
  },
  closure: (n: number) => {
    for (let i = 0; i < n; i++) sink += handWritten(CHECKED_DATA[i & MASK]) ? 1 : 0;
  },
  // A host holding a CheckedResult: `evaluate` reads it through its private field.
  gradualWrapped: (n: number) => {
    for (let i = 0; i < n; i++) sink += compiled.evaluate(CHECKED[i & MASK]) ? 1 : 0;
  },
  // A host's own array each time: checked as plain data and copied, then evaluated.
  gradualFresh: (n: number) => {
    for (let i = 0; i < n; i++) sink += compiled.evaluate(INPUTS[i & MASK]) ? 1 : 0;
  },
  exprEval: (n: number) => {
    for (let i = 0; i < n; i++) sink += exprEval.evaluate(exprEvalScopes[i & MASK]) ? 1 : 0;
  },
  compile: (n: number) => {
    for (let i = 0; i < n; i++) sink += compileCondition(EXPRESSION).expression.length;
  },
};

/** Median nanoseconds per call over ROUNDS rounds of `iterations` calls, after a warm-up round. */
function measure(loop: (n: number) => void, iterations: number): number {
  return measureAlternating([loop], iterations)[0] as number;
}

/** Median nanoseconds per call of each loop, in alternating rounds of `iterations` calls, after a warm-up round. */
function measureAlternating(candidates: readonly ((n: number) => void)[], iterations: number): number[] {
  for (const loop of candidates) loop(iterations);
  const samples = candidates.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    (globalThis as { gc?: () => void }).gc?.();
    for (const [i, loop] of candidates.entries()) {
      const start = process.hrtime.bigint();
      loop(iterations);
      samples[i]?.push(Number(process.hrtime.bigint() - start) / iterations);
    }
  }
  return samples.map((values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number);
}

// Sanity: all three agree on the input before anything is timed.
if (
  compiled.evaluate(RESULT) !== true ||
  handWritten(RESULT) !== true ||
  exprEval.evaluate({ result: RESULT } as unknown as Value) !== true
) {
  throw new Error('the candidates disagree on the benchmark input');
}

const gradualNs = measure(loops.gradual, 2_000_000);
const closureNs = measure(loops.closure, 2_000_000);
const freshNs = measure(loops.gradualFresh, 500_000);
const wrappedNs = measure(loops.gradualWrapped, 2_000_000);
const exprEvalNs = measure(loops.exprEval, 500_000);
const compileNs = measure(loops.compile, 20_000);

const ratioExprEval = gradualNs / exprEvalNs;
const format = (ns: number) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(1)} ns`);
const met = (ok: boolean) => (ok ? 'yes' : '**no**');

console.log(
  `Condition \`${EXPRESSION}\` on \`${JSON.stringify(RESULT)}\` (Node ${process.version}, median of ${ROUNDS} rounds)\n`,
);
console.log('| measure | goal | measured | met? |');
console.log('|---|---|---|---|');
console.log(`| compiled condition on checked data (the analysis run's path), per evaluation | - | ${format(gradualNs)} | - |`);
console.log(`| \`evaluate(checkResult(value))\` with the CheckedResult reused, per evaluation | - | ${format(wrappedNs)} | - |`);
console.log(`| compiled condition on a host's own array (check + copy + evaluate) | - | ${format(freshNs)} | - |`);
console.log(`| hand-written JS closure, per call | - | ${format(closureNs)} | - |`);
console.log(`| expr-eval-fork, pre-parsed, per evaluation | - | ${format(exprEvalNs)} | - |`);
console.log(
  `| compiled vs expr-eval-fork | faster (< 1x) | ${ratioExprEval.toFixed(3)}x (${(1 / ratioExprEval).toFixed(1)}x faster) | ${met(ratioExprEval < 1)} |`,
);
console.log(`| compileCondition (parse + compile) | - | ${format(compileNs)} | - |`);

// Six shapes users write (Argo's docs and examples), each against a closure that does the same checks.
const shapes: { expression: string; value: unknown; closure: (result: unknown) => boolean }[] = [
  { expression: EXPRESSION, value: [0.97], closure: handWritten },
  {
    expression: 'result[0] >= 0.95',
    value: [0.97],
    closure: (result) => {
      if (!Array.isArray(result) || typeof result[0] !== 'number') throw new TypeError('invalid operation: >=');
      return result[0] >= 0.95;
    },
  },
  {
    expression: 'all(result, {# > 0.9})',
    value: [0.95, 0.97, 0.99, 0.92],
    closure: (result) => {
      if (!Array.isArray(result)) throw new TypeError('all needs an array');
      for (const item of result) {
        if (typeof item !== 'number') throw new TypeError('invalid operation: >');
        if (!(item > 0.9)) return false;
      }
      return true;
    },
  },
  {
    expression: 'result.p99 < 300 && result.errors == 0',
    value: { p99: 250, errors: 0 },
    closure: (result) => {
      if (typeof result !== 'object' || result === null) throw new TypeError('member access on a non-object');
      const { p99, errors } = result as { p99: unknown; errors: unknown };
      if (typeof p99 !== 'number') throw new TypeError('invalid operation: <');
      return p99 < 300 && errors === 0;
    },
  },
  {
    expression: 'default(result, 0) < 0.05',
    value: 0.01,
    closure: (result) => {
      const value = result ?? 0;
      if (typeof value !== 'number') throw new TypeError('invalid operation: <');
      return value < 0.05;
    },
  },
  {
    expression: 'asFloat(result) >= 0.99',
    value: '0.995',
    closure: (result) => {
      const value = typeof result === 'string' ? Number.parseFloat(result) : result;
      if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError('asFloat: not a number');
      return value >= 0.99;
    },
  },
];
// The analysis run calls every condition of the process from one call site (assessMeasurement); a host's
// own closures would be called from one site of its own, too. So each kind is timed behind a dispatch
// function of its own that has seen all six of its kind before any round is timed: no candidate gains an
// inlined call from the order it runs in. Each is also timed in a loop of its own (a call site that sees
// only it, where V8 inlines a closure whole): printed, as the ceiling.
type Dispatch = (run: (data: unknown) => boolean, data: readonly unknown[], n: number) => number;
// Source text, as two closures of one literal would share their feedback.
const dispatchOf = (kind: string): Dispatch =>
  new Function(
    'run',
    'data',
    'n',
    `/* ${kind} */ let s = 0; for (let i = 0; i < n; i++) s += run(data[i & 1023]) ? 1 : 0; return s;`,
  ) as Dispatch;
const dispatchConditions = dispatchOf('every condition');
const dispatchClosures = dispatchOf('every closure');
const prepared = shapes.map(({ expression, value, closure }) => {
  const shapeRunner = checkedRunnerOf(compileCondition(expression)) as NonNullable<ReturnType<typeof checkedRunnerOf>>;
  const data = Array.from({ length: 1024 }, () => unwrapChecked(checkResult(structuredClone(value))));
  if (shapeRunner(data[0]) !== closure(data[0]) || shapeRunner(data[0]) !== true)
    throw new Error(`the candidates disagree on ${expression}`);
  return { shapeRunner, closure, data };
});
for (const { shapeRunner, closure, data } of prepared)
  sink += dispatchConditions(shapeRunner, data, 1000) + dispatchClosures(closure, data, 1000);
console.log(
  '\n| shape | condition, as the run calls it | closure, as a host calls it | ratio | condition, own loop | closure, own loop (inlined) | ratio |\n|---|---|---|---|---|---|---|',
);
const shapeRows = shapes.map(({ expression, value }, index) => {
  const { shapeRunner, closure, data } = prepared[index] as (typeof prepared)[number];
  // Alternating rounds, so that load on the shared machine hits both alike.
  const [conditionNs, closureNs] = measureAlternating(
    [(n) => (sink += dispatchConditions(shapeRunner, data, n)), (n) => (sink += dispatchClosures(closure, data, n))],
    500_000,
  ) as [number, number];
  // The ceiling: a loop of its own per candidate. The comment makes each source distinct, as V8 caches
  // `new Function` by source and loops of one source would share their call feedback.
  const ownLoop = (kind: string) =>
    new Function(
      'run',
      'data',
      'n',
      `/* ${kind} ${index} */ let s = 0; for (let i = 0; i < n; i++) s += run(data[i & 1023]) ? 1 : 0; return s;`,
    );
  const conditionLoop = ownLoop('condition');
  const closureLoop = ownLoop('closure');
  const [ownConditionNs, ownClosureNs] = measureAlternating(
    [(n) => (sink += conditionLoop(shapeRunner, data, n)), (n) => (sink += closureLoop(closure, data, n))],
    500_000,
  ) as [number, number];
  console.log(
    `| \`${expression}\` | ${format(conditionNs)} | ${format(closureNs)} | ${(conditionNs / closureNs).toFixed(2)}x | ${format(ownConditionNs)} | ${format(ownClosureNs)} | ${(ownConditionNs / ownClosureNs).toFixed(2)}x |`,
  );
  return {
    working: `\`${expression}\` on \`${JSON.stringify(value)}\`, per evaluation, called as the run calls it`,
    cheapest: `hand-written closure: ${format(closureNs)}`,
    goal: '<= 3x the closure',
    measured: `${(conditionNs / closureNs).toFixed(2)}x (${format(conditionNs)})`,
    met: conditionNs / closureNs <= 3,
  };
});
reportRows('analysis/condition', [
  ...shapeRows,
  {
    working: 'compiled seed condition vs expr-eval-fork, pre-parsed',
    cheapest: `expr-eval-fork: ${format(exprEvalNs)}`,
    goal: '< 1x (faster)',
    measured: `${ratioExprEval.toFixed(3)}x`,
    met: ratioExprEval < 1,
  },
  {
    working: 'seed condition on a host array (check + copy + evaluate)',
    cheapest: `on checked data: ${format(gradualNs)}`,
    goal: '-',
    measured: format(freshNs),
  },
  { working: 'compileCondition (parse + compile) of the seed', cheapest: '-', goal: '-', measured: format(compileNs) },
]);
if (sink === 42) console.log('');
