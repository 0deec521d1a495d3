import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockFileName, docBlocks } from './doc-blocks.js';

// What an npm user gets: every package packed with `pnpm pack` (as `pnpm publish` would pack it),
// installed with npm from the tarballs into a project outside the workspace, then loaded from ESM
// and CJS, type-checked with the strictest settings, and its conformance suites run with vitest.
// Every ```ts block of README.md, docs/ and the package READMEs is type-checked there too, against
// the packed .d.ts files (a block marked ```ts fragment is skipped). Needs `pnpm build` first
// (`pnpm test:all` builds) and the npm registry for the packages' own dependencies.

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const packages = ['core', 'analysis', 'prometheus', 'istio', 'gateway-api', 'kubernetes', 'cli'];
const nodeFloor = '20.19.0';
// The toolchain a user would have; the same versions the workspace pins.
const userDevDependencies = ['typescript@6.0.3', '@types/node@20.19.43', 'vitest@4.1.12'];

let work: string;
let app: string;
const tarballs: Record<string, string> = {};

async function sh(command: string, args: string[], cwd: string, timeout = 180_000) {
  return run(command, args, { cwd, timeout, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } });
}

/** The output of a command that must fail, or a test failure if it succeeded. */
async function failure(command: string, args: string[], cwd: string): Promise<string> {
  try {
    await sh(command, args, cwd);
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
  throw new Error(`${command} ${args.join(' ')} succeeded but should have failed`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

async function tsc(project: string): Promise<string> {
  try {
    await sh(join(app, 'node_modules/.bin/tsc'), ['-p', project], app);
    return '';
  } catch (error) {
    return (error as { stdout?: string }).stdout ?? String(error);
  }
}

const strictOptions = {
  strict: true,
  skipLibCheck: false,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  target: 'es2022',
  lib: ['es2023', 'dom'],
  types: ['node'],
  noEmit: true,
};

beforeAll(async () => {
  for (const name of packages) {
    const dir = join(repo, 'packages', name);
    if (newestMtime(join(dir, 'src')) > newestMtime(join(dir, 'dist'))) {
      throw new Error(`packages/${name}/dist is older than its src: run \`pnpm build\` first (pnpm test:all does)`);
    }
  }
  work = mkdtempSync(join(tmpdir(), 'gradual-consumer-'));
  app = join(work, 'app');
  mkdirSync(app);
  for (const name of packages) {
    const { stdout } = await sh('pnpm', ['pack', '--pack-destination', work], join(repo, 'packages', name));
    tarballs[name] = join(work, stdout.trim().split('\n').at(-1)!.split('/').at(-1)!);
  }
  cpSync(join(repo, 'integration/consumer/app'), app, { recursive: true });
  for (const file of ['rollout-analysis.yaml', 'analysistemplate-success-rate.yaml']) {
    cpSync(join(repo, 'examples/manifests', file), join(app, file));
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await sh(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...Object.values(tarballs), ...userDevDependencies],
    app,
    300_000,
  );
}, 420_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packages as an npm user installs them', { timeout: 240_000 }, () => {
  it('ship LICENSE, README, CHANGELOG and the metadata npm shows', async () => {
    for (const name of packages) {
      const { stdout } = await sh('tar', ['tzf', tarballs[name]!], work);
      const files = stdout.split('\n');
      for (const file of ['package/LICENSE', 'package/README.md', 'package/CHANGELOG.md', 'package/dist/index.cjs']) {
        expect(files, `@gradual/${name}`).toContain(file);
      }
      const manifest = JSON.parse(readFileSync(join(app, 'node_modules/@gradual', name, 'package.json'), 'utf8'));
      expect(manifest.license).toBe('Apache-2.0');
      for (const field of ['repository', 'homepage', 'bugs', 'keywords', 'description']) {
        expect(manifest[field], `@gradual/${name} ${field}`).toBeTruthy();
      }
      // Links on npm resolve against nothing: a package README must not link into the repository by relative path.
      const readme = readFileSync(join(app, 'node_modules/@gradual', name, 'README.md'), 'utf8');
      expect(readme, `@gradual/${name} README`).not.toMatch(/\]\((?!https?:|#)[^)]*\)/);
    }
  });

  it('install nothing whose engines exclude our Node floor', () => {
    const ours = JSON.parse(readFileSync(join(repo, 'packages/core/package.json'), 'utf8')).engines.node;
    expect(semver.minVersion(ours)?.version).toBe(nodeFloor);
    const refusing: string[] = [];
    const visit = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory() || entry.name === '.bin') continue;
        const path = join(dir, entry.name);
        if (entry.name.startsWith('@')) {
          visit(path);
          continue;
        }
        let manifest: { name: string; version: string; engines?: { node?: string } };
        try {
          manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
        } catch {
          continue;
        }
        const range = manifest.engines?.node;
        if (range && !semver.satisfies(nodeFloor, range)) refusing.push(`${manifest.name}@${manifest.version} (${range})`);
        try {
          visit(join(path, 'node_modules'));
        } catch {}
      }
    };
    visit(join(app, 'node_modules'));
    // The user's own dev tools are theirs to choose; what our packages bring must run on our floor.
    const ownTools =
      /^(typescript|@types\/node|vitest|vite|rolldown|@rolldown\/|@vitest\/|tinyglobby|lightningcss|esbuild|@oxc-project\/|fdir|picomatch|std-env|tinyrainbow|es-module-lexer|obug|pathe|tinyexec|magic-string|postcss|nanoid|@jridgewell\/|source-map-js|chai|expect-type|@standard-schema\/|detect-libc)/;
    expect(refusing.filter((entry) => !ownTools.test(entry))).toEqual([]);
  });

  it('load and run from ESM', async () => {
    const { stdout } = await sh(process.execPath, ['esm-check.mjs'], app);
    expect(stdout).toContain('esm ok: Promoted');
  });

  it('load and run from CJS (require)', async () => {
    const { stdout } = await sh(process.execPath, ['cjs-check.cjs'], app);
    expect(stdout).toContain('cjs ok: Promoted');
  });

  it('type-check with skipLibCheck false and exactOptionalPropertyTypes, under nodenext and bundler', async () => {
    for (const [name, resolution] of [
      ['tsconfig.nodenext.json', { module: 'nodenext', moduleResolution: 'nodenext' }],
      ['tsconfig.bundler.json', { module: 'esnext', moduleResolution: 'bundler' }],
    ] as const) {
      writeFileSync(
        join(app, name),
        JSON.stringify({ compilerOptions: { ...strictOptions, ...resolution }, files: ['strict-usage.ts'] }),
      );
      expect(await tsc(name), name).toBe('');
    }
  });

  it('run the conformance suites from @gradual/core/conformance with vitest', async () => {
    writeFileSync(join(app, 'vitest.config.mjs'), "export default { test: { include: ['*.check.ts'] } };\n");
    const { stdout } = await sh(join(app, 'node_modules/.bin/vitest'), ['run', '--reporter=json'], app);
    const report = JSON.parse(stdout.slice(stdout.indexOf('{')));
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThanOrEqual(10);
  });

  it('compile every TypeScript block of the README, docs and package READMEs', async () => {
    const markdown = [
      'README.md',
      ...readdirSync(join(repo, 'docs'), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
      ...packages.map((name) => `packages/${name}/README.md`),
    ];
    const blocks = markdown.flatMap((file) => docBlocks(readFileSync(join(repo, file), 'utf8'), file));
    const compiled = blocks.filter((block) => !block.fragment);
    expect(compiled.length).toBeGreaterThan(10);
    mkdirSync(join(app, 'doc-blocks'), { recursive: true });
    for (const block of compiled) {
      // Each block is its own module, as a user's file would be.
      writeFileSync(join(app, 'doc-blocks', blockFileName(block)), `${block.code}\nexport {};\n`);
    }
    writeFileSync(
      join(app, 'tsconfig.docs.json'),
      JSON.stringify({
        compilerOptions: { ...strictOptions, module: 'nodenext', moduleResolution: 'nodenext', noUnusedLocals: false },
        include: ['doc-blocks/*.ts'],
      }),
    );
    const errors = await tsc('tsconfig.docs.json');
    // Name the Markdown file and line a failing block came from.
    expect(
      errors.replace(
        /doc-blocks\/(\S+?)__L(\d+)\.ts\((\d+),/g,
        (_, f, l, n) => `${f.replaceAll('__', '/')}:${Number(l) + Number(n) - 1} (`,
      ),
    ).toBe('');
  });

  it('fail the CJS check when a package loses its require entry (the check can fail)', async () => {
    const manifestPath = join(app, 'node_modules/@gradual/core/package.json');
    const original = readFileSync(manifestPath, 'utf8');
    try {
      const manifest = JSON.parse(original);
      delete manifest.exports['.'].require;
      delete manifest.main;
      writeFileSync(manifestPath, JSON.stringify(manifest));
      expect(await failure(process.execPath, ['cjs-check.cjs'], app)).toMatch(
        /ERR_PACKAGE_PATH_NOT_EXPORTED|No "exports" main defined/,
      );
    } finally {
      writeFileSync(manifestPath, original);
    }
  });
});
