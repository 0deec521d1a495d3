import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';
import { INSTALL_HINT, prometheusInstalled } from './prometheus-availability.js';
import { createTlsMaterial, type TlsMaterial } from './tls-material.js';

/**
 * bcrypt hashes (cost 4, made once with libxcrypt's crypt(3)) of the test
 * users' passwords, for Prometheus' web config. `internal:secret` are the
 * seed manifest's credentials.
 */
export const TEST_USERS = {
  internal: { password: 'secret', hash: '$2b$04$4F5nYFiZEYFgCINUMUjkje2/kF3l0IS//GiB92D2GepBWZ6g8mpIW' },
  alice: { password: 'wonderland-s3cret', hash: '$2b$04$OmJkl9tN3qcqbpyHqBiNSeK76QJSsmig8/WZeAxjoOhJ3BIaA9SPO' },
} as const;

/** What to start. */
export interface PrometheusServerOptions {
  /** OpenMetrics text (ending in `# EOF`) loaded with promtool before the server starts. */
  openMetrics?: string;
  /** Require basic auth for these users (Prometheus' `--web.config.file`). */
  basicAuthUsers?: (keyof typeof TEST_USERS)[];
  /** Serve HTTPS with a fresh self-signed certificate. */
  tls?: boolean;
}

/** A running Prometheus on a loopback port. */
export interface PrometheusServer {
  /** e.g. `http://127.0.0.1:41234` (or https). No credentials. */
  address: string;
  port: number;
  /** PEM of the self-signed certificate when `tls` was asked for. */
  certPem?: string;
  /** Stops the server and removes its storage. */
  stop(): Promise<void>;
}

const run = promisify(execFile);

/**
 * Starts Debian's `prometheus` with its own config, a temporary storage
 * directory and the remote-write receiver, on 127.0.0.1 only; resolves once
 * it logs that it is ready (bounded to 20 s). Throws, with the install hint,
 * when the binary is missing.
 */
export async function startPrometheus(options: PrometheusServerOptions = {}): Promise<PrometheusServer> {
  if (!prometheusInstalled) throw new Error(`GRADUAL_REQUIRE_PROMETHEUS=1 but ${INSTALL_HINT}`);
  const dir = await mkdtemp(join(tmpdir(), 'gradual-prometheus-'));
  const storage = join(dir, 'data');
  const configFile = join(dir, 'prometheus.yml');
  // No scrape jobs: the only data is what the test loads.
  await writeFile(configFile, 'global:\n  scrape_interval: 1h\n  evaluation_interval: 1h\n');
  if (options.openMetrics !== undefined) {
    const file = join(dir, 'series.om');
    await writeFile(file, options.openMetrics);
    await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, storage]);
  }
  const port = await freePort();
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${storage}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-remote-write-receiver',
    '--log.level=info',
  ];
  let tls: TlsMaterial | undefined;
  if (options.tls || options.basicAuthUsers) {
    const webConfig = join(dir, 'web.yml');
    let yaml = '';
    if (options.tls) {
      tls = await createTlsMaterial(dir);
      yaml += `tls_server_config:\n  cert_file: ${tls.certFile}\n  key_file: ${tls.keyFile}\n`;
    }
    if (options.basicAuthUsers) {
      yaml += 'basic_auth_users:\n';
      for (const user of options.basicAuthUsers) yaml += `  ${user}: '${TEST_USERS[user].hash}'\n`;
    }
    await writeFile(webConfig, yaml);
    await run('promtool', ['check', 'web-config', webConfig]);
    args.push(`--web.config.file=${webConfig}`);
  }
  const child = spawn('prometheus', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const log: string[] = [];
  try {
    await waitForReady(child, log);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const address = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    address,
    port,
    ...(tls ? { certPem: tls.certPem } : {}),
    async stop() {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const grace = AbortSignal.timeout(5000);
        const kill = () => child.kill('SIGKILL');
        grace.addEventListener('abort', kill, { once: true });
        await exited;
        grace.removeEventListener('abort', kill);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function waitForReady(child: ChildProcess, log: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = AbortSignal.timeout(20_000);
    const fail = (reason: string) => {
      cleanup();
      reject(new Error(`prometheus did not start: ${reason}\n${log.slice(-15).join('')}`));
    };
    // Keeps draining stderr for the server's whole life, so its log pipe never fills up.
    child.stderr?.on('data', (chunk: Buffer) => {
      log.push(chunk.toString());
      if (log.length > 50) log.shift();
    });
    const onData = (chunk: Buffer) => {
      if (chunk.toString().includes('Server is ready to receive web requests')) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null) => fail(`exited with code ${code}`);
    const onTimeout = () => fail('not ready within 20 s');
    const cleanup = () => {
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      deadline.removeEventListener('abort', onTimeout);
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    deadline.addEventListener('abort', onTimeout, { once: true });
  });
}
