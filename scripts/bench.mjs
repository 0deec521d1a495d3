#!/usr/bin/env node
// Runs every benchmark script (`packages/*/bench/*.bench.ts`, `examples/*/bench/*.bench.ts`)
// one after another, so that no two compete for the two cores. Each script
// measures its goal against a baseline in the same process and prints a table.
// `pnpm bench core` runs only the files whose path contains "core".
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv[2];
const files = [];
for (const root of ['packages', 'examples']) {
  if (!existsSync(root)) continue;
  for (const name of readdirSync(root)) {
    const dir = join(root, name, 'bench');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      if (file.endsWith('.bench.ts')) files.push(join(dir, file));
    }
  }
}
let failed = 0;
for (const file of files.filter((f) => !filter || f.includes(filter))) {
  console.log(`\n## ${file}\n`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
