import type { HttpRoute } from './istio-objects.js';

/**
 * The http routes with our managed routes placed above the weighted route.
 * `current` is the VirtualService's http list as read, `others` the same list
 * without our managed routes (re-weighted, same order), `managed` the managed
 * routes the desired state has, in `managedRoutes` order, and `boundary` the
 * index in `others` of the first route we split.
 *
 * Argo moves its managed routes to the very top on every update (§7.4). With
 * two routers sharing a VirtualService, each would then push the other's
 * routes down on every apply. So when ours already sit above the boundary in
 * our order, every route keeps its place (a new one joins its neighbours in
 * `managedRoutes` order, or goes on top); otherwise ours go on top, as Argo
 * puts them. Pure.
 */
export function placeManagedRoutes(input: {
  current: readonly HttpRoute[];
  others: readonly HttpRoute[];
  managed: readonly HttpRoute[];
  ours: readonly string[];
  boundary: number | undefined;
}): HttpRoute[] {
  const { current, others, managed, ours, boundary } = input;
  const isOurs = (route: HttpRoute) => route.name !== undefined && ours.includes(route.name);
  const order = (route: HttpRoute) => managed.findIndex((candidate) => candidate.name === route.name);
  const onTop = () => [...managed, ...others];

  // Where each route of `current` sits, counted among `others` for the boundary.
  let seenOthers = 0;
  let previousOrder = -1;
  for (const route of current) {
    if (!isOurs(route)) {
      seenOthers++;
      continue;
    }
    const at = order(route);
    if (at < 0) continue; // removed now: its place does not matter
    if (at < previousOrder) return onTop();
    if (boundary !== undefined && seenOthers > boundary) return onTop();
    previousOrder = at;
  }

  const out: HttpRoute[] = [];
  let other = 0;
  for (const route of current) {
    if (!isOurs(route)) out.push(others[other++]!);
    else {
      const replacement = managed[order(route)];
      if (replacement && !out.includes(replacement)) out.push(replacement);
    }
  }
  const placed = (route: HttpRoute) => isOurs(route) && order(route) >= 0;
  managed.forEach((route, at) => {
    if (out.some((existing) => existing.name === route.name)) return;
    const after = out.findIndex((existing) => placed(existing) && order(existing) > at);
    if (after >= 0) {
      out.splice(after, 0, route);
      return;
    }
    const before = out.findLastIndex((existing) => placed(existing) && order(existing) < at);
    out.splice(before + 1, 0, route);
  });
  return out;
}
