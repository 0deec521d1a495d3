import { describeDestinations, describeHttpRoute } from './describe-object.js';
import type { DestinationRule, VirtualService } from './istio-objects.js';
import { podTemplateHashLabel } from './render-destination-rule.js';
import { sameJson } from './same-json.js';

/** One line per route whose destinations differ, or managed route that came or went, for notes. */
export function describeVirtualServiceChanges(before: VirtualService, after: VirtualService): string[] {
  const lines: string[] = [];
  const beforeHttp = before.spec.http ?? [];
  const afterHttp = after.spec.http ?? [];
  const key = (route: { name?: string | undefined }, index: number) => route.name ?? `#${index}`;
  const beforeByKey = new Map(beforeHttp.map((route, i) => [key(route, i), route]));
  const afterKeys = new Set(afterHttp.map(key));
  afterHttp.forEach((route, i) => {
    const previous = beforeByKey.get(key(route, i));
    if (!previous) lines.push(`http route ${describeHttpRoute(route, i)} added`);
    else if (!sameJson(previous.route, route.route)) {
      lines.push(
        `http route ${describeHttpRoute(route, i)}: ${describeDestinations(previous.route)} -> ${describeDestinations(route.route)}`,
      );
    } else if (!sameJson(previous, route)) lines.push(`http route ${describeHttpRoute(route, i)} changed`);
  });
  beforeHttp.forEach((route, i) => {
    if (!afterKeys.has(key(route, i))) lines.push(`http route ${describeHttpRoute(route, i)} removed`);
  });
  for (const section of ['tls', 'tcp'] as const) {
    (after.spec[section] ?? []).forEach((route, i) => {
      const previous = before.spec[section]?.[i];
      if (!sameJson(previous?.route, route.route)) {
        lines.push(`${section} route #${i}: ${describeDestinations(previous?.route)} -> ${describeDestinations(route.route)}`);
      }
    });
  }
  if (lines.length === 0 && !sameJson(before, after)) lines.push('order of http routes');
  return lines;
}

/** One line per subset whose pod-template-hash label changed. */
export function describeDestinationRuleChanges(before: DestinationRule, after: DestinationRule): string[] {
  return (after.spec.subsets ?? []).flatMap((subset) => {
    const previous = before.spec.subsets?.find((s) => s.name === subset.name);
    const was = previous?.labels?.[podTemplateHashLabel];
    const now = subset.labels?.[podTemplateHashLabel];
    return was === now ? [] : [`subset '${subset.name}' ${podTemplateHashLabel}: ${was ?? '(none)'} -> ${now ?? '(none)'}`];
  });
}
