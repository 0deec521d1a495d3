/**
 * Field selectors as kube-apiserver parses them for `?fieldSelector=` (k8s.io/apimachinery
 * `fields.ParseSelector`): `field=value`, `field==value`, `field!=value`, comma = AND. Every kind
 * supports `metadata.name` and `metadata.namespace`; core Events also their `involvedObject.*`
 * fields, `reason`, `reportingComponent`, `source` and `type` (as the Event registry does).
 */

/** One term of a parsed field selector. */
export interface FieldRequirement {
  field: string;
  equal: boolean;
  value: string;
}

/** A field selector kube-apiserver would refuse (400 BadRequest). */
export class FieldSelectorError extends Error {
  override readonly name = 'FieldSelectorError';
}

type Json = Record<string, unknown>;
const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));
const meta = (object: Json) => (object.metadata ?? {}) as Json;
const involved = (object: Json) => (object.involvedObject ?? {}) as Json;

const common: Record<string, (object: Json) => string> = {
  'metadata.name': (object) => text(meta(object).name),
  'metadata.namespace': (object) => text(meta(object).namespace),
};
const eventFields: Record<string, (object: Json) => string> = {
  ...common,
  'involvedObject.kind': (object) => text(involved(object).kind),
  'involvedObject.namespace': (object) => text(involved(object).namespace),
  'involvedObject.name': (object) => text(involved(object).name),
  'involvedObject.uid': (object) => text(involved(object).uid),
  'involvedObject.apiVersion': (object) => text(involved(object).apiVersion),
  'involvedObject.resourceVersion': (object) => text(involved(object).resourceVersion),
  'involvedObject.fieldPath': (object) => text(involved(object).fieldPath),
  reason: (object) => text(object.reason),
  reportingComponent: (object) => text(object.reportingComponent),
  source: (object) => text((object.source as Json | undefined)?.component),
  type: (object) => text(object.type),
};

const fieldsOf = (plural: string) => (plural === 'events' ? eventFields : common);

/** Parses a selector for a resource; an empty one selects everything. Throws {@link FieldSelectorError}. */
export function parseFieldSelector(selector: string, plural: string): FieldRequirement[] {
  if (selector.trim() === '') return [];
  const known = fieldsOf(plural);
  return selector.split(',').map((term) => {
    const match = term.match(/^([^=!]+)(==|=|!=)(.*)$/);
    if (!match) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
    const field = match[1]!.trim();
    if (!Object.hasOwn(known, field)) throw new FieldSelectorError(`field label not supported: ${field}`);
    return { field, equal: match[2] !== '!=', value: match[3]!.trim() };
  });
}

/** Whether an object of the resource satisfies every term. */
export function matchesFieldSelector(requirements: FieldRequirement[], plural: string, object: Json): boolean {
  const known = fieldsOf(plural);
  return requirements.every(({ field, equal, value }) => (known[field]!(object) === value) === equal);
}
