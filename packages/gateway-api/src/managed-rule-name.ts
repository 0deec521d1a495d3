/**
 * Name of the managed rule for `route` built from the `index`-th weighted
 * rule: `route`, then `route-1`, `route-2`, ... — the names Argo's plugin
 * gives them, so a route it managed is cleaned up by gradual and back.
 */
export function managedRuleName(route: string, index: number): string {
  return index === 0 ? route : `${route}-${index}`;
}

/** Which managed route (if any) a rule name belongs to. */
export function managedRouteOf(ruleName: string | undefined, managedNames: readonly string[]): string | undefined {
  if (ruleName === undefined) return undefined;
  if (managedNames.includes(ruleName)) return ruleName;
  const suffix = /^(.*)-(\d+)$/.exec(ruleName);
  return suffix && managedNames.includes(suffix[1]!) ? suffix[1] : undefined;
}
