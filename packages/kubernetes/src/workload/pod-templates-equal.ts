import { podTemplateHashLabel } from '../kube/labels.js';

// Fields the API server fills in when a pod template is stored (k8s.io/api core/v1 defaults), by path with
// list indices written `[]`. A stored ReplicaSet has them even when the Rollout's template does not.
const serverDefaults: [RegExp, (parent: Record<string, unknown>) => unknown][] = [
  [/^spec\.restartPolicy$/, () => 'Always'],
  [/^spec\.dnsPolicy$/, () => 'ClusterFirst'],
  [/^spec\.terminationGracePeriodSeconds$/, () => 30],
  [/^spec\.schedulerName$/, () => 'default-scheduler'],
  [/^spec\.(containers|initContainers|ephemeralContainers)\[\]\.terminationMessagePath$/, () => '/dev/termination-log'],
  [/^spec\.(containers|initContainers|ephemeralContainers)\[\]\.terminationMessagePolicy$/, () => 'File'],
  [/^spec\.(containers|initContainers|ephemeralContainers)\[\]\.imagePullPolicy$/, (container) => pullPolicyOf(container.image)],
  [/\.ports\[\]\.protocol$/, () => 'TCP'],
  [/Probe\.timeoutSeconds$/, () => 1],
  [/Probe\.periodSeconds$/, () => 10],
  [/Probe\.successThreshold$/, () => 1],
  [/Probe\.failureThreshold$/, () => 3],
  [/\.httpGet\.scheme$/, () => 'HTTP'],
  [/^spec\.volumes\[\]\.(configMap|secret|projected|downwardAPI)\.defaultMode$/, () => 420],
  [/\.fieldRef\.apiVersion$/, () => 'v1'],
];

// Never compared: the hash label differs by design, `serviceAccount` is the deprecated mirror of
// serviceAccountName that the server fills in (Argo ignores it too, argo-rollouts#1356).
const ignored = [new RegExp(`^metadata\\.labels\\.${podTemplateHashLabel.replace(/[.-]/g, '\\$&')}$`), /^spec\.serviceAccount$/];

/**
 * Whether the pod template a Rollout asks for (`desired`, as written) equals one stored on a ReplicaSet
 * (`live`, as the API server keeps it), as Argo's PodTemplateEqualIgnoreHash: the hash label is ignored, and
 * so is a field present on one side only when it is empty (`{}`, `[]`, `null`, `""`) or, on the live side, a
 * value the API server sets by default (restartPolicy Always, terminationMessagePath, probe periods, ...).
 * Anything else absent on one side is a difference: a field the user removed must not go unnoticed.
 * Quantities are compared as written ("500m" is not "0.5").
 */
export function podTemplatesEqual(desired: unknown, live: unknown): boolean {
  return equalAt(desired, live, '', undefined);
}

function equalAt(desired: unknown, live: unknown, path: string, liveParent: Record<string, unknown> | undefined): boolean {
  if (ignored.some((pattern) => pattern.test(path))) return true;
  if (desired === undefined || live === undefined) {
    const present = desired === undefined ? live : desired;
    if (isEmpty(present)) return true;
    if (desired !== undefined || !liveParent) return false;
    return isServerDefault(path, live, liveParent);
  }
  if (Array.isArray(desired) || Array.isArray(live)) {
    if (!Array.isArray(desired) || !Array.isArray(live) || desired.length !== live.length) {
      return isEmpty(desired) && isEmpty(live);
    }
    return desired.every((item, i) => equalAt(item, live[i], `${path}[]`, undefined));
  }
  if (isObject(desired) && isObject(live)) {
    const keys = new Set([...Object.keys(desired), ...Object.keys(live)]);
    for (const key of keys) {
      const childPath = path ? `${path}.${key}` : key;
      if (
        key === 'requests' &&
        desired[key] === undefined &&
        path.endsWith('resources') &&
        sameValue(live[key], desired.limits)
      ) {
        continue; // the server copies limits into requests when only limits are set
      }
      if (!equalAt(desired[key], live[key], childPath, live)) return false;
    }
    return true;
  }
  return desired === live || (desired === null && isEmpty(live)) || (live === null && isEmpty(desired));
}

function isServerDefault(path: string, value: unknown, parent: Record<string, unknown>): boolean {
  // Defaults hang off the parent object: the path of a list item ends in `[]`.
  const entry = serverDefaults.find(([pattern]) => pattern.test(path));
  return entry !== undefined && sameValue(entry[1](parent), value);
}

// Kubernetes: an image with no tag or the tag `latest` is pulled Always, any other IfNotPresent.
function pullPolicyOf(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.values(value).every((item) => item === undefined);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical(value[key])]),
    );
  }
  return value;
}
