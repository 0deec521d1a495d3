// The built `gradual` binary, run as a process, as a CI job or a user runs it.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusSkipNote, skipWithoutPrometheus } from '../../prometheus/test/support/prometheus-availability.js';
import { type PrometheusServer, startPrometheus } from '../../prometheus/test/support/prometheus-server.js';
import { ensureBuilt, gradual } from './support/gradual-binary.js';

const fixtures = 'packages/cli/test/fixtures';
const talk = 'examples/manifests';
let work: string;

beforeAll(async () => {
  await ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'gradual-cli-'));
}, 240_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('gradual lint', () => {
  it('prints the five errors of a manifest with five mistakes, each at its line and column, and exits 1', async () => {
    const run = await gradual(['lint', `${fixtures}/five-errors.yaml`]);
    expect(run.code).toBe(1);
    const located = run.stdout.split('\n').filter((line) => /^\S+:\d+:\d+ {2}error {2}/.test(line));
    // Lines and columns read off the fixture: the key of the field (or the first character the parser refused).
    expect(located.map((line) => line.split('  ')[0])).toEqual([
      `${fixtures}/five-errors.yaml:26:13`, // templateName: latency (no such template)
      `${fixtures}/five-errors.yaml:35:11`, // setWeight: 120
      `${fixtures}/five-errors.yaml:36:20`, // duration: 10x
      `${fixtures}/five-errors.yaml:50:36`, // failureCondition: result[0] <<< 0.5 (the second "<")
      `${fixtures}/five-errors.yaml:56:76`, // the query ends after "/"
    ]);
    expect(run.stdout).toContain('5 errors, 0 warnings');
  });

  it('passes the talk manifests with the two warnings they deserve (exit 0)', async () => {
    const run = await gradual([
      'lint',
      ...['rollout-canary', 'rollout-analysis', 'analysistemplate-success-rate'].map((f) => `${talk}/${f}.yaml`),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('analysistemplate-success-rate.yaml:11:7  warning  succeeds on an empty result');
    expect(run.stdout).toContain('rollout-canary.yaml:24:3  warning  no analysis at all');
    expect(run.stdout).toContain('0 errors, 2 warnings');
  });

  it('writes GitHub workflow annotations and JSON', async () => {
    const github = await gradual(['lint', '--format', 'github', `${fixtures}/five-errors.yaml`]);
    expect(github.stdout.trim().split('\n')).toHaveLength(5);
    expect(github.stdout).toContain(
      `::error file=${fixtures}/five-errors.yaml,line=35,col=11,title=gradual rollout::spec.strategy.canary.steps[0].setWeight: must be between 0 and 100, got 120`,
    );
    const json = await gradual(['lint', '--format', 'json', `${fixtures}/five-errors.yaml`]);
    const problems = JSON.parse(json.stdout) as { rule: string }[];
    expect(problems.map((p) => p.rule)).toEqual(['reference', 'rollout', 'rollout', 'analysis-template', 'promql']);
  });

  it('exits 2 on a file it cannot read and on an unknown option', async () => {
    expect((await gradual(['lint', 'no-such-file.yaml'])).code).toBe(2);
    expect((await gradual(['lint', '--no-such-option', 'x.yaml'])).code).toBe(2);
  });
});

describe('gradual simulate', () => {
  const analysisRollout = [`${talk}/rollout-analysis.yaml`, '--template', `${talk}/analysistemplate-success-rate.yaml`];

  it('aborts the talk analysis Rollout at 50s when the success rate fails from 25s (measurements every 10s, failureLimit 2)', async () => {
    const run = await gradual(['simulate', ...analysisRollout, '--metrics', `${fixtures}/failing-after-25s.yaml`]);
    expect(run.code).toBe(1);
    // Failing measurements at 30s, 40s and 50s: the third is over failureLimit 2, at 90% canary (after the 5s pause at 45s).
    expect(run.stdout).toMatch(/^50s +- +90% +background: Failed +RolloutAborted: /m);
    expect(run.stdout).toMatch(/^50s +- +0% +- +TrafficWeightUpdated: Traffic set to canary 0%/m);
    expect(run.stdout).toContain('Aborted at 50s');
    expect(run.stdout).toContain('canary weight over 50s of virtual time');
  });

  it('promotes with healthy metrics after the 55s of pauses, and says so as JSON', async () => {
    const run = await gradual(['simulate', ...analysisRollout, '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { outcome: string; durationMs: number; weights: { canaryWeight: number }[] };
    expect(result.outcome).toBe('Promoted');
    expect(result.durationMs).toBe(55_000);
    expect(result.weights.map((w) => w.canaryWeight)).toEqual([0, 30, 40, 60, 80, 90, 100, 0]);
  });

  it('exits 2 with the issue when the Rollout is invalid', async () => {
    const run = await gradual(['simulate', `${fixtures}/five-errors.yaml`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('spec.strategy.canary.steps[0].setWeight: must be between 0 and 100, got 120');
  });
});

// The page's DOM as far as the browser test reads it (the repository compiles without lib "dom").
interface PageElement {
  textContent: string | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  points?: { numberOfItems: number } | undefined;
  getBBox?: (() => { width: number; height: number }) | undefined;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
};

const chromium = '/usr/bin/chromium';
const requireChromium = process.env.CI === 'true';
const skipChromium = !existsSync(chromium) && !requireChromium;
if (skipChromium) console.warn('[@gradual/cli] headless-browser test skipped: apt-get install -y chromium');

describe(`gradual simulate --html in headless Chromium${skipChromium ? ' (skipped: apt-get install -y chromium)' : ''}`, () => {
  it.skipIf(skipChromium)('draws the weight chart and the timeline from the page alone, with no request elsewhere', async () => {
    const page = join(work, 'timeline.html');
    const run = await gradual([
      'simulate',
      `${talk}/rollout-analysis.yaml`,
      '-t',
      `${talk}/analysistemplate-success-rate.yaml`,
      '-m',
      `${fixtures}/failing-after-25s.yaml`,
      '--html',
      page,
    ]);
    expect(run.code).toBe(1);
    const { default: puppeteer } = await import('puppeteer-core');
    const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const tab = await browser.newPage();
      const requests: string[] = [];
      tab.on('request', (request) => requests.push(request.url()));
      await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });
      const seen = await tab.evaluate(() => {
        const line = document.querySelector('#weight-chart polyline.weight');
        const box = line?.getBBox?.();
        return {
          outcome: document.querySelector('#outcome')?.textContent ?? '',
          points: line?.points?.numberOfItems ?? 0,
          chartWidth: box?.width ?? 0,
          chartHeight: box?.height ?? 0,
          rows: [...document.querySelectorAll('#timeline tbody tr')].map((tr) =>
            [...tr.querySelectorAll('td')].map((td) => td.textContent),
          ),
        };
      });
      expect(seen.outcome).toContain('Aborted at 50s');
      // 8 weight changes (0, 30, ..., 90, back to 0), each a vertical and a horizontal point, plus the end.
      expect(seen.points).toBe(15);
      expect(seen.chartWidth).toBeGreaterThan(600);
      expect(seen.chartHeight).toBeGreaterThan(150);
      expect(seen.rows.find((cells) => cells[4] === 'RolloutAborted')?.slice(0, 3)).toEqual(['50s', '-', '90%']);
      expect(requests).toEqual([pathToFileURL(page).href]);
    } finally {
      await browser.close();
    }
  });
});

describe('gradual render', () => {
  it("prints the talk's three VirtualService states (80/20, 50/50, 0/100), then the return to stable", async () => {
    const run = await gradual([
      'render',
      `${talk}/rollout-canary.yaml`,
      '--router',
      'istio',
      '--from',
      `${fixtures}/rollout-vsvc.yaml`,
    ]);
    expect(run.code).toBe(0);
    const { parseAllDocuments } = await import('yaml');
    const documents = parseAllDocuments(run.stdout).map(
      (d) => d.toJS() as { kind: string; spec: { http: { route: { weight: number }[] }[] } },
    );
    expect(documents.every((d) => d.kind === 'VirtualService')).toBe(true);
    expect(documents.map((d) => d.spec.http[0]?.route.map((r) => r.weight).join('/'))).toEqual([
      '80/20',
      '50/50',
      '0/100',
      '100/0',
    ]);
    expect(run.stdout).toContain('# state 1/4: canary 20%');
  });

  it('exits 2 when --from lacks the VirtualService the Rollout names', async () => {
    const run = await gradual([
      'render',
      `${talk}/rollout-canary.yaml`,
      '--router',
      'istio',
      '--from',
      `${talk}/canary-virtualservice.yaml`,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('VirtualService "rollout-vsvc" not in the files given with --from');
  });
});

describe(`gradual run against the Kubernetes API test server and a real Prometheus${prometheusSkipNote}`, () => {
  let kube: KubeApiServer;
  let prometheus: PrometheusServer;
  let kubeconfig: string;
  beforeAll(async () => {
    if (skipWithoutPrometheus) return;
    kube = await startKubeApiServer();
    prometheus = await startPrometheus();
    kubeconfig = join(work, 'kubeconfig.json');
    writeFileSync(kubeconfig, kube.kubeConfig().exportConfig());
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
    await kube?.close();
  });
  const seed = async () => {
    const { parse } = await import('yaml');
    const object = parse(readFileSync(new URL('./fixtures/checkout-vsvc.yaml', import.meta.url), 'utf8')) as Record<
      string,
      unknown
    >;
    kube.seed('virtualservices', 'default', object);
  };
  const weights = () => {
    const vs = kube.get('virtualservices', 'default', 'checkout-vsvc') as { spec: { http: { route: { weight: number }[] }[] } };
    return vs.spec.http[0]?.route.map((r) => r.weight).join('/');
  };
  const args = (template: string, statusFile: string, rollout = 'run-rollout.yaml') => [
    'run',
    `${fixtures}/${rollout}`,
    '--template',
    `${fixtures}/${template}`,
    '--router',
    'istio',
    '--kubeconfig',
    kubeconfig,
    '--prometheus',
    prometheus.address,
    '--status-file',
    statusFile,
  ];

  it.skipIf(skipWithoutPrometheus)('promotes when Prometheus answers a healthy success rate (exit 0)', async () => {
    await seed();
    const statusFile = join(work, 'promote.json');
    const run = await gradual(args('run-template-healthy.yaml', statusFile));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('AnalysisRunCompleted');
    expect(run.stdout).toMatch(/^Promoted: /m);
    expect(weights()).toBe('100/0');
    // The VirtualService went through 50/50 and 0/100 on the way.
    expect(kube.acceptedWrites('checkout-vsvc')).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(readFileSync(statusFile, 'utf8')).phase).toBe('Healthy');
  });

  it.skipIf(skipWithoutPrometheus)('aborts when the success rate fails, with traffic back on stable (exit 1)', async () => {
    await seed();
    const statusFile = join(work, 'abort.json');
    const run = await gradual(args('run-template-failing.yaml', statusFile));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/RolloutAborted: .*success-rate/);
    expect(run.stdout).toMatch(/^Aborted: /m);
    expect(weights()).toBe('100/0');
    expect(JSON.parse(readFileSync(statusFile, 'utf8')).abort).toBe(true);
  });

  it.skipIf(skipWithoutPrometheus)('stops on SIGINT with the status saved (exit 130) and resumes from it', async () => {
    await seed();
    const statusFile = join(work, 'interrupted.json');
    const first = await gradual(args('run-template-healthy.yaml', statusFile, 'run-rollout-long-pause.yaml'), {
      onStdout: (text, kill) => {
        if (text.includes('RolloutPaused')) kill('SIGINT');
      },
    });
    expect(first.code).toBe(130);
    expect(first.stderr).toContain(`interrupted; status saved to ${statusFile}`);
    const saved = JSON.parse(readFileSync(statusFile, 'utf8')) as { currentStepIndex: number; pauseConditions: unknown[] };
    expect(saved.currentStepIndex).toBe(2);
    expect(saved.pauseConditions).toHaveLength(1);
    expect(weights()).toBe('50/50');
    const second = await gradual(args('run-template-healthy.yaml', statusFile, 'run-rollout-long-pause.yaml'), {
      onStdout: (text, kill) => {
        if (text.includes('resuming from')) kill('SIGTERM');
      },
    });
    expect(second.stdout).toContain(`resuming from ${statusFile} at step 2`);
    expect(second.code).toBe(130);
  });
});

describe('gradual get|promote|abort|retry|pause on Rollout objects (the Kubernetes API test server)', () => {
  let kube: KubeApiServer;
  let kubeconfig: string;
  beforeAll(async () => {
    kube = await startKubeApiServer();
    kubeconfig = join(work, 'live-kubeconfig.json');
    writeFileSync(kubeconfig, kube.kubeConfig().exportConfig());
  });
  afterAll(async () => {
    await kube?.close();
  });
  // A Rollout at its pause step, as a controller (Argo's, or gradual's status store) leaves it.
  const seedPaused = (name: string) =>
    kube.seed('rollouts', 'default', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `example/${name}:2` }] } },
        strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }, { setWeight: 100 }] } },
      },
      status: {
        phase: 'Paused',
        message: 'CanaryPauseStep',
        currentStepIndex: 1,
        currentPodHash: 'new',
        stableRS: 'old',
        pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-01-01T00:00:00Z' }],
        availableReplicas: 2,
        canary: { weights: { canary: { weight: 50 }, stable: { weight: 50 } } },
      },
    });
  const status = (name: string) => (kube.get('rollouts', 'default', name) as { status: Record<string, unknown> }).status;
  const patchesOf = (name: string) =>
    kube.requests.filter((r) => r.name === name && r.verb === 'patch').map((r) => `${r.subresource ?? 'main'} ${r.contentType}`);
  const live = (...args: string[]) => gradual([...args, '--kubeconfig', kubeconfig]);

  it('promote clears the pause conditions through the status subresource, as the plugin does', async () => {
    seedPaused('promote-me');
    const run = await live('promote', 'promote-me');
    expect(run.stdout).toBe("rollout 'promote-me' promoted\n");
    expect(run.code).toBe(0);
    expect(status('promote-me').pauseConditions ?? null).toBeNull();
    expect(status('promote-me').currentStepIndex).toBe(1);
    expect(patchesOf('promote-me')).toEqual(['status application/merge-patch+json']);
  });

  it('promote --full sets promoteFull; abort sets abort; retry clears it; pause sets spec.paused', async () => {
    seedPaused('commands');
    expect((await live('promote', 'commands', '--full')).stdout).toBe("rollout 'commands' fully promoted\n");
    expect(status('commands').promoteFull).toBe(true);
    expect((await live('abort', 'commands')).stdout).toBe("rollout 'commands' aborted\n");
    expect(status('commands').abort).toBe(true);
    expect((await live('retry', 'commands')).stdout).toBe("rollout 'commands' retried\n");
    expect(status('commands').abort).toBe(false);
    expect((await live('pause', 'commands')).stdout).toBe("rollout 'commands' paused\n");
    expect((kube.get('rollouts', 'default', 'commands') as { spec: { paused?: boolean } }).spec.paused).toBe(true);
    expect(patchesOf('commands')).toEqual([
      'status application/merge-patch+json',
      'status application/merge-patch+json',
      'status application/merge-patch+json',
      'main application/merge-patch+json',
    ]);
  });

  it('exits 2 naming the Rollout that is not there', async () => {
    const run = await live('abort', 'no-such-rollout');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("rollouts.argoproj.io 'no-such-rollout' in namespace 'default' not found");
  });

  it("get prints Argo's fields; get --watch prints the rollout again when it changes, until SIGINT (exit 130)", async () => {
    seedPaused('watched');
    const once = await live('get', 'watched');
    expect(once.stdout).toContain('Status:          ॥ Paused\n');
    expect(once.stdout).toContain('  Step:          1/3\n  SetWeight:     50\n  ActualWeight:  50\n');
    let edited = false;
    const watch = await gradual(['get', 'watched', '--watch', '--kubeconfig', kubeconfig], {
      onStdout: (text, kill) => {
        if (!edited && text.includes('॥ Paused')) {
          edited = true;
          kube.edit('rollouts', 'default', 'watched', (object) => {
            (object as { status: Record<string, unknown> }).status = {
              phase: 'Healthy',
              currentStepIndex: 3,
              availableReplicas: 2,
            };
          });
        }
        if (text.includes('✔ Healthy')) kill('SIGINT');
      },
    });
    expect(watch.code).toBe(130);
    expect(watch.stdout.indexOf('॥ Paused')).toBeLessThan(watch.stdout.indexOf('✔ Healthy'));
    expect(watch.stdout).toContain('  Step:          3/3\n  SetWeight:     100\n  ActualWeight:  100\n');
  });
});

describe('gradual --help, --version, completion', () => {
  it('shows examples for every command', async () => {
    for (const command of ['lint', 'simulate', 'render', 'run', 'get', 'promote', 'abort', 'retry', 'pause', 'completion']) {
      const run = await gradual([command, '--help']);
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toMatch(/Examples:\n {2}\$ (source <\()?gradual /);
    }
  });

  it('prints the package version and a bash completion that names the commands', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect((await gradual(['--version'])).stdout.trim()).toBe(version);
    const bash = await gradual(['completion', 'bash']);
    expect(bash.stdout).toContain(
      'compgen -W "lint simulate render run get promote abort retry pause completion --help --version"',
    );
    expect(bash.stdout).toContain('complete -o filenames -F _gradual_complete gradual');
  });
});
