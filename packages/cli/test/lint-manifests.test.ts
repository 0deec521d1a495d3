import { formatProblems, lintManifests } from '@gradual/cli';
import { describe, expect, it } from 'vitest';
import { checkPromql } from '../src/lint/check-promql.js';
import { locatePath, splitPath } from '../src/lint/locate-path.js';
import { yamlSource } from '../src/manifest/yaml-source.js';

const rollout = (steps: string, extra = '') => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: app
spec:
  selector:
    matchLabels: { app: app }
  template:
    metadata:
      labels: { app: app }
    spec:
      containers: [{ name: app, image: app:2 }]
  strategy:
    canary:
${extra}      steps:
${steps}`;

const template = (metric: string) => `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: rate
spec:
  metrics:
    - name: rate
${metric}`;

const lint = (...texts: string[]) => lintManifests({ files: texts.map((text, i) => ({ file: `f${i}.yaml`, text })) });
const background = '      analysis:\n        templates: [{ templateName: rate }]\n';

describe('lintManifests', () => {
  // Each row: a manifest with one problem, the problem's rule, severity, line:column, and words of its message.
  const rows: { name: string; files: string[]; rule: string; severity: string; at: string; says: string }[] = [
    {
      name: 'YAML that does not parse',
      files: ['kind: Rollout\nspec: [unclosed\n'],
      rule: 'yaml',
      severity: 'error',
      at: '3:1',
      says: 'malformed YAML',
    },
    {
      name: 'a weight over 100 (parseRollout)',
      files: [rollout('        - setWeight: 120\n', background), template('      provider: { web: { url: http://x } }\n')],
      rule: 'rollout',
      severity: 'error',
      at: '18:11',
      says: 'between 0 and 100',
    },
    {
      name: 'a template that is not in the files',
      files: [rollout('        - setWeight: 10\n', background)],
      rule: 'reference',
      severity: 'error',
      at: '16:23',
      says: 'AnalysisTemplate "rate" is not in the files given',
    },
    {
      name: 'an arg the template needs but the Rollout does not pass',
      files: [
        rollout('        - setWeight: 10\n', background),
        template('      provider: { web: { url: "http://x/{{args.host}}" } }\n').replace(
          'spec:\n',
          'spec:\n  args: [{ name: host }]\n',
        ),
      ],
      rule: 'reference',
      severity: 'error',
      at: '15:7',
      says: 'needs arg "host"',
    },
    {
      name: 'a failure condition that does not compile',
      files: [template('      failureCondition: result >\n      provider: { web: { url: http://x } }\n')],
      rule: 'analysis-template',
      severity: 'error',
      at: '8:33', // one past "result >": the condition ends too early
      says: 'unexpected end',
    },
    {
      name: 'PromQL that does not parse (a label matcher with no value)',
      files: [template('      provider:\n        prometheus:\n          address: http://p\n          query: sum(up{job=})\n')],
      rule: 'promql',
      severity: 'error',
      at: '11:29',
      says: 'PromQL does not parse near "})"',
    },
    {
      name: 'an Istio block a router refuses (no virtualService)',
      files: [
        rollout(
          '        - setWeight: 10\n',
          `${background}      canaryService: c\n      stableService: s\n      trafficRouting:\n        istio: {}\n`,
        ),
        template('      provider: { web: { url: http://x } }\n'),
      ],
      rule: 'router',
      severity: 'error',
      at: '20:9',
      says: 'must set virtualService or virtualServices',
    },
    {
      name: 'a success condition that passes on an empty result (warning)',
      files: [
        template('      successCondition: len(result) == 0 || result[0] > 1\n      provider: { web: { url: http://x } }\n'),
      ],
      rule: 'risk',
      severity: 'warning',
      at: '8:7',
      says: 'succeeds on an empty result',
    },
    {
      name: 'no analysis at all (warning)',
      files: [rollout('        - setWeight: 10\n')],
      rule: 'risk',
      severity: 'warning',
      at: '13:3',
      says: 'no analysis at all',
    },
    {
      name: 'a pause with no duration (warning)',
      files: [
        rollout('        - setWeight: 10\n        - pause: {}\n', background),
        template('      provider: { web: { url: http://x } }\n'),
      ],
      rule: 'risk',
      severity: 'warning',
      at: '19:11',
      says: 'waits for a manual promote',
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const problems = lint(...row.files);
      expect(problems, JSON.stringify(problems, null, 2)).toHaveLength(1);
      const [problem] = problems;
      expect(problem?.rule).toBe(row.rule);
      expect(problem?.severity).toBe(row.severity);
      expect(`${problem?.line}:${problem?.column}`).toBe(row.at);
      expect(problem?.message).toContain(row.says);
    });
  }

  it('finds templates across files and reports nothing for a sound pair', () => {
    expect(
      lint(rollout('        - setWeight: 10\n', background), template('      provider: { web: { url: http://x } }\n')),
    ).toEqual([]);
  });
});

describe('locatePath', () => {
  const source = yamlSource({
    file: 'x.yaml',
    text: 'spec:\n  steps:\n    - setWeight: 1\n    - pause: {}\n  plugins:\n    "a/b":\n      x: 1\n',
  })[0]!;
  // Rows: path, line:column of the key (or list item) it names; a missing field points at its nearest parent.
  const rows: [string, string][] = [
    ['spec', '1:1'],
    ['spec.steps[0].setWeight', '3:7'],
    ['spec.steps[1]', '4:7'],
    ['spec.steps[1].pause.duration', '4:7'],
    ['spec.plugins["a/b"].x', '7:7'],
    ['yaml:5:9', '5:9'],
  ];
  for (const [path, at] of rows) {
    it(path, () => {
      const { line, column } = locatePath(source, path);
      expect(`${line}:${column}`).toBe(at);
    });
  }
  it('splits bracketed keys', () => expect(splitPath('a.b[2]["c/d"].e')).toEqual(['a', 'b', 2, 'c/d', 'e']));
});

describe('checkPromql', () => {
  // Rows: query, offset of the first error or undefined.
  const rows: [string, number | undefined][] = [
    ['sum(rate(http_requests_total{code!~"5.."}[1m]))', undefined],
    ['sum(rate(x{service="{{args.service-name}}"}[1m]))', undefined], // placeholder inside quotes
    ['rate(x[{{args.window}}])', undefined], // placeholder as a duration
    ['x > {{ args.threshold }}', undefined], // placeholder as a number
    ['sum(rate(x[1m])', 15],
    ['up{job=}', 7],
    ['', 0],
  ];
  for (const [query, offset] of rows) it(JSON.stringify(query), () => expect(checkPromql(query)?.offset).toBe(offset));
});

describe('formatProblems', () => {
  // An invalid template (one error) and a valid Rollout with no analysis (one warning).
  const problems = lint(rollout('        - setWeight: 10\n'), template('      provider: {}\n'));
  it('escapes GitHub workflow command data', () => {
    const text = formatProblems({
      problems: [{ file: 'a,b.yaml', line: 1, column: 2, severity: 'error', rule: 'x', path: '', message: '50% of it\nbroken' }],
      format: 'github',
    });
    expect(text).toBe('::error file=a%2Cb.yaml,line=1,col=2,title=gradual x::50%25 of it%0Abroken\n');
  });
  it('counts errors and warnings in text', () => {
    expect(formatProblems({ problems, format: 'text' })).toMatch(/1 error, 1 warning\n$/);
  });
});
