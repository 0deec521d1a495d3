import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveReportPath } from '../src/demo/resolve-report-path.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradual-report-path-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('--report <file>', () => {
  it('resolves a relative path from where pnpm was run (INIT_CWD), not the example folder', () => {
    mkdirSync(join(dir, 'out'));
    expect(resolveReportPath('out/report.json', { initCwd: dir, cwd: '/elsewhere' })).toBe(join(dir, 'out', 'report.json'));
  });

  it('falls back to the process directory without INIT_CWD, and keeps absolute paths', () => {
    expect(resolveReportPath('report.json', { cwd: dir })).toBe(join(dir, 'report.json'));
    expect(resolveReportPath(join(dir, 'r.json'), { initCwd: '/elsewhere', cwd: '/elsewhere' })).toBe(join(dir, 'r.json'));
  });

  it('refuses, before anything starts, a file it could not write', () => {
    mkdirSync(join(dir, 'taken'));
    expect(() => resolveReportPath('taken', { cwd: dir })).toThrow(/--report taken: cannot write .*taken: it is a directory/);
    expect(() => resolveReportPath('missing/report.json', { cwd: dir })).toThrow(/missing is not a directory/);
  });
});
