/** One place a Rollout names analysis templates, with the args it passes there. */
export interface AnalysisRefSite {
  /** Manifest path of the block holding `templates` (or the experiment analysis entry). */
  path: string;
  templates: { path: string; templateName: string; clusterScope: boolean }[];
  /** Names of the args given at this site. */
  args: string[];
}

/**
 * Every place a Rollout manifest (as written, not parsed) names
 * AnalysisTemplates: background analysis, analysis steps, experiment
 * analyses, blue-green pre- and post-promotion analysis.
 */
export function analysisRefs(rollout: unknown): AnalysisRefSite[] {
  const sites: AnalysisRefSite[] = [];
  const strategy = get(rollout, 'spec', 'strategy');
  const block = (path: string, value: unknown) => {
    if (!isObject(value)) return;
    const templates = Array.isArray(value['templates']) ? value['templates'] : [];
    sites.push({
      path,
      templates: templates.flatMap((ref, i) =>
        isObject(ref) && typeof ref['templateName'] === 'string'
          ? [
              {
                path: `${path}.templates[${i}].templateName`,
                templateName: ref['templateName'],
                clusterScope: ref['clusterScope'] === true,
              },
            ]
          : [],
      ),
      args: argNames(value['args']),
    });
  };
  block('spec.strategy.canary.analysis', get(strategy, 'canary', 'analysis'));
  block('spec.strategy.blueGreen.prePromotionAnalysis', get(strategy, 'blueGreen', 'prePromotionAnalysis'));
  block('spec.strategy.blueGreen.postPromotionAnalysis', get(strategy, 'blueGreen', 'postPromotionAnalysis'));
  const steps = get(strategy, 'canary', 'steps');
  for (const [i, step] of (Array.isArray(steps) ? steps : []).entries()) {
    const at = `spec.strategy.canary.steps[${i}]`;
    block(`${at}.analysis`, get(step, 'analysis'));
    const analyses = get(step, 'experiment', 'analyses');
    for (const [j, entry] of (Array.isArray(analyses) ? analyses : []).entries()) {
      if (!isObject(entry) || typeof entry['templateName'] !== 'string') continue;
      const path = `${at}.experiment.analyses[${j}]`;
      sites.push({
        path,
        templates: [
          { path: `${path}.templateName`, templateName: entry['templateName'], clusterScope: entry['clusterScope'] === true },
        ],
        args: argNames(entry['args']),
      });
    }
  }
  return sites;
}

function argNames(args: unknown): string[] {
  return (Array.isArray(args) ? args : []).flatMap((arg) =>
    isObject(arg) && typeof arg['name'] === 'string' ? [arg['name']] : [],
  );
}

function get(value: unknown, ...keys: string[]): unknown {
  let at = value;
  for (const key of keys) at = isObject(at) ? at[key] : undefined;
  return at;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
