import { parseArgs } from 'node:util';
import type { Scenario } from './load-manifests.js';

/** The demo's command line, read. */
export interface DemoArgs {
  scenario: Scenario;
  speed: number;
  bad: boolean;
  /** Share of v2's requests that fail with `--bad`. */
  failShare: number;
  prometheus: boolean;
  ratePerSecond: number;
  /** Write the full report as JSON here. */
  report?: string;
  /** Force plain lines even on a terminal. */
  plain: boolean;
  help: boolean;
}

export const demoUsage = `pnpm demo [options]

  --speed <n>          divide the manifests' durations by n (default 5: the seed's 55 s of pauses take 11 s)
  --bad                v2 fails a share of requests: the analysis fails and the rollout aborts
  --fail-share <0..1>  share of v2's requests that fail with --bad (default 0.3)
  --scenario <name>    canary (default, the seed's rollout-analysis.yaml), dark (slide 16) or shadow (slide 15)
  --prometheus         measure with a real Prometheus scraping the proxy (needs the prometheus binary)
  --rate <n>           requests per second through the proxy (default 200)
  --report <file>      write the full report as JSON
  --plain              plain lines even on a terminal
  --help               this text

Exit code: 0 when promoted, 1 when aborted, 2 on an error.`;

/** Reads the demo's arguments; throws with the offending option on a bad value. */
export function parseDemoArgs(argv: string[]): DemoArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      speed: { type: 'string', default: '5' },
      bad: { type: 'boolean', default: false },
      'fail-share': { type: 'string', default: '0.3' },
      scenario: { type: 'string', default: 'canary' },
      prometheus: { type: 'boolean', default: false },
      rate: { type: 'string', default: '200' },
      report: { type: 'string' },
      plain: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const number = (name: string, text: string, min: number, max: number) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new Error(`--${name} must be a number from ${min} to ${max}, got "${text}"`);
    }
    return value;
  };
  const scenario = values.scenario;
  if (scenario !== 'canary' && scenario !== 'dark' && scenario !== 'shadow') {
    throw new Error(`--scenario must be canary, dark or shadow, got "${scenario}"`);
  }
  return {
    scenario,
    speed: number('speed', values.speed, 0.1, 1000),
    bad: values.bad,
    failShare: number('fail-share', values['fail-share'], 0, 1),
    prometheus: values.prometheus,
    ratePerSecond: number('rate', values.rate, 1, 2000),
    ...(values.report ? { report: values.report } : {}),
    plain: values.plain,
    help: values.help,
  };
}
