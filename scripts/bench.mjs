#!/usr/bin/env node
// Runs every benchmark script (`packages/*/bench/*.bench.ts`, `examples/*/bench/*.bench.ts`,
// `integration/bench/*.bench.ts`) one after another, so that no two compete for the two cores, then
// prints one table of every row they reported (scripts/bench-report.ts). Exits non-zero when any goal
// is missed or any script fails. `pnpm bench core` runs only the files whose path contains "core".
// Benches time the published build: `@gradual/*` resolves to each package's dist (tsconfig.bench.json), and
// packages whose sources are newer than their dist are built first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const filter = process.argv[2];
const files = [];
const benchDirs = [join('integration', 'bench')];
for (const root of ['packages', 'examples']) {
  if (!existsSync(root)) continue;
  for (const name of readdirSync(root).sort()) benchDirs.push(join(root, name, 'bench'));
}
for (const dir of benchDirs) {
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).sort()) if (file.endsWith('.bench.ts')) files.push(join(dir, file));
}
const selected = files.filter((f) => !filter || f.includes(filter));
if (selected.length === 0) {
  console.error(`no bench matches "${filter}"; benches: ${files.join(', ')}`);
  process.exit(1);
}
buildStalePackages();
const scratch = mkdtempSync(join(tmpdir(), 'gradual-bench-'));
const rowsFile = join(scratch, 'rows.jsonl');
const failedScripts = [];
for (const file of selected) {
  console.log(`\n## ${file}\n`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], {
    stdio: 'inherit',
    env: { ...process.env, GRADUAL_BENCH_ROWS: rowsFile, TSX_TSCONFIG_PATH: 'tsconfig.bench.json' },
  });
  if (run.status !== 0) failedScripts.push(`${file} (exit ${run.status ?? run.signal})`);
}
const rows = existsSync(rowsFile)
  ? readFileSync(rowsFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : [];
rmSync(scratch, { recursive: true, force: true });
const met = (row) => (row.met === undefined ? '-' : row.met ? 'yes' : '**NO**');
console.log('\n## All benches\n');
console.log('| bench | working path | cheapest path / baseline | goal | measured | met |\n|---|---|---|---|---|---|');
for (const row of rows)
  console.log(`| ${row.bench} | ${row.working} | ${row.cheapest} | ${row.goal} | ${row.measured} | ${met(row)} |`);
const missed = rows.filter((row) => row.met === false).length;
console.log(
  `\n${rows.length} rows, ${missed} goals missed, ${failedScripts.length} scripts failed${failedScripts.length ? `: ${failedScripts.join(', ')}` : ''}`,
);
process.exit(missed === 0 && failedScripts.length === 0 ? 0 : 1);

/** Builds every package whose src (or package.json) is newer than its dist, so no bench times stale code. */
function buildStalePackages() {
  const newest = (path) => {
    if (!existsSync(path)) return 0;
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs;
    let latest = stat.mtimeMs;
    for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
    return latest;
  };
  const oldest = (path) => {
    if (!existsSync(path)) return 0;
    let earliest = Number.POSITIVE_INFINITY;
    for (const name of readdirSync(path)) earliest = Math.min(earliest, statSync(join(path, name)).mtimeMs);
    return earliest;
  };
  const stale = readdirSync('packages')
    .sort()
    .filter((name) => {
      const dir = join('packages', name);
      if (!existsSync(join(dir, 'src'))) return false;
      return Math.max(newest(join(dir, 'src')), newest(join(dir, 'package.json'))) > oldest(join(dir, 'dist'));
    });
  if (stale.length === 0) return;
  console.log(`building ${stale.join(', ')} (sources newer than dist)`);
  const filters = stale.flatMap((name) => ['--filter', `./packages/${name}`]);
  const build = spawnSync('pnpm', ['-r', ...filters, 'run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('build failed; benches need the built packages');
    process.exit(1);
  }
}
