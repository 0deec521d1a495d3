/**
 * What is wrong, field by field, with an object read back from the
 * cluster, in the parts gradual reads: a person or another tool may have
 * edited it by hand (`weight: "lots"`, `weight: -10`), and the API server
 * checks only what the CRD's schema declares. Paths are the object's own
 * (`spec.http[0].route[1].weight`); values are shown shortened.
 */
export function readBackIssues(kind: 'VirtualService' | 'DestinationRule' | 'Service', object: unknown): string[] {
  const issues: string[] = [];
  // `value` is what was found, shown shortened; left out when nothing was there.
  const add = (path: string, problem: string, ...value: [unknown?]) => {
    issues.push(`${path} ${problem}${value.length > 0 ? `, not ${show(value[0])}` : ''}`);
  };
  if (!isRecord(object)) {
    add('(the object)', 'must be an object', object);
    return issues;
  }
  if (object['spec'] !== undefined && !isRecord(object['spec'])) add('spec', 'must be an object', object['spec']);
  const spec = isRecord(object['spec']) ? object['spec'] : {};
  const field = (path: string, value: unknown, check: (value: unknown) => string | undefined) => {
    if (value === undefined) return;
    const problem = check(value);
    if (problem) add(path, problem, value);
  };
  const list = (path: string, value: unknown, each: (item: Record<string, unknown>, itemPath: string) => void) => {
    if (value === undefined) return;
    if (!Array.isArray(value)) return add(path, 'must be a list', value);
    value.forEach((item, index) => {
      const itemPath = `${path}[${index}]`;
      if (!isRecord(item)) add(itemPath, 'must be an object', item);
      else each(item, itemPath);
    });
  };
  const destination = (path: string, value: unknown) => {
    if (!isRecord(value)) return add(path, 'must be an object with a host', value);
    field(`${path}.host`, value['host'], nonEmptyString);
    if (value['host'] === undefined) add(`${path}.host`, 'is required');
    field(`${path}.subset`, value['subset'], string);
  };
  const stringMatch = (path: string, value: unknown) => {
    if (!isRecord(value)) return add(path, 'must be an object (exact, prefix or regex)', value);
    for (const key of ['exact', 'prefix', 'regex']) field(`${path}.${key}`, value[key], string);
  };

  if (kind === 'VirtualService') {
    for (const protocol of ['http', 'tls', 'tcp'] as const) {
      list(`spec.${protocol}`, spec[protocol], (route, routePath) => {
        field(`${routePath}.name`, route['name'], string);
        list(`${routePath}.route`, route['route'], (entry, entryPath) => {
          destination(`${entryPath}.destination`, entry['destination']);
          field(`${entryPath}.weight`, entry['weight'], percentWeight);
        });
        list(`${routePath}.match`, route['match'], (match, matchPath) => {
          if (protocol !== 'http') {
            field(`${matchPath}.port`, match['port'], port);
            const hosts = match['sniHosts'];
            if (hosts !== undefined && !Array.isArray(hosts)) add(`${matchPath}.sniHosts`, 'must be a list', hosts);
            if (Array.isArray(hosts))
              for (const [index, host] of hosts.entries()) field(`${matchPath}.sniHosts[${index}]`, host, string);
            return;
          }
          for (const key of ['uri', 'method']) if (match[key] !== undefined) stringMatch(`${matchPath}.${key}`, match[key]);
          const headers = match['headers'];
          if (headers !== undefined) {
            if (!isRecord(headers)) add(`${matchPath}.headers`, 'must be an object of header matches', headers);
            else for (const [name, value] of Object.entries(headers)) stringMatch(`${matchPath}.headers.${name}`, value);
          }
        });
        if (protocol === 'http') {
          if (route['mirror'] !== undefined) destination(`${routePath}.mirror`, route['mirror']);
          const mirrorPercentage = route['mirrorPercentage'];
          if (mirrorPercentage !== undefined) {
            if (!isRecord(mirrorPercentage))
              add(`${routePath}.mirrorPercentage`, 'must be an object with a value', mirrorPercentage);
            else field(`${routePath}.mirrorPercentage.value`, mirrorPercentage['value'], percent);
          }
        }
      });
    }
  }
  if (kind === 'DestinationRule') {
    list('spec.subsets', spec['subsets'], (subset, path) => {
      field(`${path}.name`, subset['name'], nonEmptyString);
      stringRecord(`${path}.labels`, subset['labels'], add);
    });
  }
  if (kind === 'Service') stringRecord('spec.selector', spec['selector'], add);
  return issues;
}

function stringRecord(path: string, value: unknown, add: (path: string, problem: string, ...value: [unknown?]) => void): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    add(path, 'must be an object of strings', value);
    return;
  }
  for (const [key, item] of Object.entries(value)) if (typeof item !== 'string') add(`${path}.${key}`, 'must be a string', item);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const string = (value: unknown) => (typeof value === 'string' ? undefined : 'must be a string');
const nonEmptyString = (value: unknown) => (typeof value === 'string' && value !== '' ? undefined : 'must be a non-empty string');
const percentWeight = (value: unknown) =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 100
    ? undefined
    : 'must be a whole number from 0 to 100';
const percent = (value: unknown) =>
  typeof value === 'number' && value >= 0 && value <= 100 ? undefined : 'must be a number from 0 to 100';
const port = (value: unknown) =>
  Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65_535
    ? undefined
    : 'must be a port number (1-65535)';

function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
