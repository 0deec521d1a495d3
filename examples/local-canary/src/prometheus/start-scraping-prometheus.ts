import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, type Clock } from '@gradual/core';
import { freePort } from './free-port.js';

export interface ScrapingPrometheusOptions {
  /** `host:port` of the proxy, scraped at `/metrics`. */
  target: string;
  /** How often to scrape, in ms; Prometheus accepts sub-second intervals. */
  scrapeIntervalMs: number;
  clock: Clock;
  signal: AbortSignal;
}

export interface ScrapingPrometheus {
  /** `http://127.0.0.1:<port>` */
  readonly address: string;
  stop(): Promise<void>;
}

/** Whether a `prometheus` binary is on the PATH. */
export function prometheusInstalled(): boolean {
  return spawnSync('prometheus', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts the installed `prometheus` with a config of one scrape job (the
 * proxy), temporary storage, listening on 127.0.0.1 only (Debian's default
 * config listens on every interface). Resolves once it has scraped the
 * proxy twice, polling on the clock for at most 30 s: Prometheus hands new
 * targets to its scrapers only every 5 s, and a rollout that started before
 * would see no data and pass its first measurements on `len(result) == 0`.
 * `stop()` ends it gracefully; if this process exits first, an `exit`
 * handler kills it and removes its temporary directory.
 */
export async function startScrapingPrometheus(options: ScrapingPrometheusOptions): Promise<ScrapingPrometheus> {
  if (!prometheusInstalled()) {
    throw new Error('--prometheus needs the prometheus binary on the PATH (Debian: apt-get install prometheus)');
  }
  const dir = await mkdtemp(join(tmpdir(), 'gradual-demo-prometheus-'));
  const interval = `${Math.max(100, Math.round(options.scrapeIntervalMs))}ms`;
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global:',
      `  scrape_interval: ${interval}`,
      `  scrape_timeout: ${interval}`,
      'scrape_configs:',
      '  - job_name: demo-proxy',
      '    static_configs:',
      `      - targets: ['${options.target}']`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  const address = `http://127.0.0.1:${port}`;
  // However this process ends (process.exit, an uncaught error, a second Ctrl-C), Prometheus must not
  // outlive it holding the port: 'exit' handlers run synchronously, so kill it outright and remove its
  // files there. (Only SIGKILL of this process skips them; nothing can help then.)
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', killOnExit);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    process.off('exit', killOnExit);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null) throw new Error(`prometheus exited with code ${child.exitCode} before it was ready`);
      const ready = await fetch(`${address}/-/ready`, { signal: options.signal }).then(
        (response) => response.ok,
        () => {
          if (options.signal.aborted) throw new CancelledError('start of prometheus', options.signal.reason);
          return false;
        },
      );
      if (ready && (await scrapes(address, options.signal)) >= 2) return { address, stop };
      if (attempt >= 300) throw new Error(`prometheus at ${address} had not scraped ${options.target} twice after 30 s`);
      await options.clock.sleep(100, options.signal);
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

// Successful scrapes of the proxy in the last minute; 0 while there are none or Prometheus is not ready.
async function scrapes(address: string, signal: AbortSignal): Promise<number> {
  const query = encodeURIComponent('sum_over_time(up{job="demo-proxy"}[1m])');
  try {
    const response = await fetch(`${address}/api/v1/query?query=${query}`, { signal });
    const body = (await response.json()) as { data?: { result?: { value?: [number, string] }[] } };
    return Number(body.data?.result?.[0]?.value?.[1] ?? 0);
  } catch {
    if (signal.aborted) throw new CancelledError('start of prometheus', signal.reason);
    return 0;
  }
}
