import type { CanaryConfig, CanaryMetricQuery } from '../judge/canary-config.js';
import { expandTemplate } from './expand-template.js';

/** The scope a query is built for (Kayenta's PrometheusCanaryScope). */
export interface QueryScope {
  scope: string;
  location?: string | undefined;
  extendedScopeParams?: Readonly<Record<string, string>> | undefined;
}

/** The label Kayenta's Prometheus service matches `gce_instance` scopes on (its `scopeLabel` default). */
const SCOPE_LABEL = 'instance';

/**
 * Builds the PromQL Kayenta's Prometheus metrics service builds for a
 * canary-config metric and one scope: `avg(metricName{filters})` with an
 * optional ` by (groupByFields)`, where the filters are the expanded custom
 * filter template (or Kayenta's standard GCE / EC2 filters for
 * `resourceType`) followed by `labelBindings`; or the whole expression after
 * `PromQL:` in the expanded template. Throws an Error saying what is missing.
 */
export function buildPrometheusQuery(config: CanaryConfig, query: CanaryMetricQuery, scope: QueryScope): string {
  if (query['customFilter'] !== undefined)
    throw new Error('query.customFilter is deprecated in Kayenta: use query.customInlineTemplate instead');
  const resourceType = query.resourceType || scope.extendedScopeParams?.['resourceType'] || '';
  const filter = customFilter(config, query, scope);
  if (filter?.startsWith('PromQL:')) return filter.slice('PromQL:'.length);
  if (!query.metricName) throw new Error('query.metricName is required unless the template is a whole PromQL: expression');

  const filters = [...(query.labelBindings ?? [])];
  if (filter) filters.unshift(...filter.split(','));
  else if (resourceType === 'gce_instance') {
    if (!scope.location) throw new Error("a location (the scope's region) is required when resourceType is 'gce_instance'");
    if (scope.scope) filters.push(`${SCOPE_LABEL}=~"${scope.scope}-.{4}"`);
    const project = scope.extendedScopeParams?.['project'];
    filters.push(`zone=~".+/${project ? `projects/${project}/` : ''}zones/${scope.location}-.{1}"`);
  } else if (resourceType === 'aws_ec2_instance') {
    if (!scope.location) throw new Error("a location (the scope's region) is required when resourceType is 'aws_ec2_instance'");
    if (scope.scope) filters.push(`asg_groupName="${scope.scope}"`);
    filters.push(`zone=~"${scope.location}.{1}"`);
  } else if (resourceType)
    throw new Error(
      `resourceType ${JSON.stringify(resourceType)} has no built-in filters: use label bindings and a custom filter template`,
    );
  else
    throw new Error(
      'either query.resourceType or a custom filter template (customInlineTemplate / customFilterTemplate) is required',
    );

  let text = `avg(${query.metricName}${filters.length > 0 ? `{${filters.join(',')}}` : ''})`;
  if (query.groupByFields && query.groupByFields.length > 0) text += ` by (${query.groupByFields.join(',')})`;
  return text;
}

function customFilter(config: CanaryConfig, query: CanaryMetricQuery, scope: QueryScope): string | undefined {
  let template: string;
  if (query.customInlineTemplate) template = query.customInlineTemplate;
  else if (query.customFilterTemplate) {
    const templates = config.templates ?? {};
    if (!Object.hasOwn(templates, query.customFilterTemplate))
      throw new Error(
        `custom filter template ${JSON.stringify(query.customFilterTemplate)} is not in the canary config's templates`,
      );
    template = templates[query.customFilterTemplate] as string;
  } else return undefined;
  // Kayenta's bindings, later ones winning: the scope's fields, the query's resourceType, extendedScopeParams.
  const bindings: Record<string, string> = {};
  const project = scope.extendedScopeParams?.['project'];
  const scopeResourceType = scope.extendedScopeParams?.['resourceType'];
  if (project) bindings['project'] = project;
  if (scopeResourceType) bindings['resourceType'] = scopeResourceType;
  if (scope.scope) bindings['scope'] = scope.scope;
  if (scope.location) bindings['location'] = scope.location;
  if (query.resourceType) bindings['resourceType'] = query.resourceType;
  Object.assign(bindings, scope.extendedScopeParams ?? {});
  return expandTemplate(template, bindings);
}
