import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** Which rollout the demo runs: the seed's analysed canary, or the dark (slide 16) / shadow (slide 15) variant. */
export type Scenario = 'canary' | 'dark' | 'shadow';

const rolloutFiles: Record<Scenario, string> = {
  canary: 'rollout-analysis.yaml',
  dark: 'rollout-dark.yaml',
  shadow: 'rollout-shadow.yaml',
};

/** The example's copy of the seed manifests (see manifests/README.md). */
export const defaultManifestsDir = new URL('../../manifests/', import.meta.url);

/** Reads the scenario's Rollout and the seed's AnalysisTemplate as plain objects. */
export function loadManifests(
  scenario: Scenario,
  dir: URL = defaultManifestsDir,
): { rollout: Record<string, unknown>; template: Record<string, unknown> } {
  const read = (file: string) => {
    const url = new URL(file, dir);
    try {
      return parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`could not read ${url.pathname}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  };
  return { rollout: read(rolloutFiles[scenario]), template: read('analysistemplate-success-rate.yaml') };
}
