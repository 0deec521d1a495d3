import type { MirrorRouteMatch } from '@gradual/core';
import type { HttpPathMatch, HttpRouteMatch } from './gateway-api-objects.js';
import { toHeaderMatch } from './to-header-match.js';

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];

/**
 * One `matches[]` entry of a mirror rule: the weighted rule's match `source`
 * with a mirror route's conditions added. A path replaces the source's only
 * when the source matches every path (`PathPrefix /` or none); otherwise the
 * mirror rule would catch requests the weighted rule never sees.
 */
export function narrowHttpMatch(source: HttpRouteMatch, mirror: MirrorRouteMatch): HttpRouteMatch | { problem: string } {
  const narrowed: HttpRouteMatch = { ...source };
  if (mirror.method) {
    const method = mirror.method.exact?.toUpperCase();
    if (method === undefined || !methods.includes(method))
      return { problem: `method must be an exact HTTP method (${methods.join(', ')}), got ${JSON.stringify(mirror.method)}` };
    if (source.method !== undefined && source.method !== method)
      return { problem: `method ${method} contradicts the weighted rule's method ${source.method}` };
    narrowed.method = method;
  }
  if (mirror.path) {
    const path: HttpPathMatch | undefined =
      mirror.path.exact !== undefined
        ? { type: 'Exact', value: mirror.path.exact }
        : mirror.path.prefix !== undefined
          ? { type: 'PathPrefix', value: mirror.path.prefix }
          : mirror.path.regex !== undefined
            ? { type: 'RegularExpression', value: mirror.path.regex }
            : undefined;
    if (!path) return { problem: 'path sets none of exact, prefix or regex' };
    const everyPath = !source.path || ((source.path.type ?? 'PathPrefix') === 'PathPrefix' && (source.path.value ?? '/') === '/');
    if (!everyPath)
      return {
        problem: `a path condition cannot narrow the weighted rule's path ${source.path?.type ?? 'PathPrefix'} ${source.path?.value}; drop it or split the rule`,
      };
    narrowed.path = path;
  }
  if (mirror.headers) {
    const headers = [...(source.headers ?? [])];
    for (const [name, value] of Object.entries(mirror.headers)) {
      const converted = toHeaderMatch(name, value);
      if ('problem' in converted) return converted;
      headers.push(converted);
    }
    narrowed.headers = headers;
  }
  return narrowed;
}
