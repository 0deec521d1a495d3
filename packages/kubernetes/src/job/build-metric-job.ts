import type { V1Job, V1OwnerReference } from '@kubernetes/client-node';
import {
  analysisRunMetricAnnotation,
  analysisRunNameAnnotation,
  analysisRunNamespaceAnnotation,
  analysisRunUidLabel,
} from '../kube/labels.js';
import type { JobMetric } from './job-metric.js';

/** The AnalysisRun a measurement belongs to, when the caller has one. */
export interface AnalysisRunReference {
  /** `metadata.name` of the AnalysisRun. */
  name: string;
  /** `metadata.uid` of the AnalysisRun: the Job names' prefix and the owner reference's uid. */
  uid: string;
  /** Defaults to the Jobs' namespace. */
  namespace?: string | undefined;
}

/**
 * The Job for one measurement, as Argo's job provider builds it: the metric's labels and
 * annotations plus `analysisrun.argoproj.io/*` ones, the run's uid label on the Job and its pod
 * template, and the run as controlling owner when it lives in the Jobs' namespace (an owner
 * reference cannot cross namespaces), so deleting the run deletes its Jobs.
 */
export function buildMetricJob(request: {
  name: string;
  namespace: string;
  metricName: string;
  job: JobMetric;
  analysisRun?: AnalysisRunReference | undefined;
}): V1Job {
  const { job, analysisRun } = request;
  const runLabel: Record<string, string> = analysisRun ? { [analysisRunUidLabel]: analysisRun.uid } : {};
  const runNamespace = analysisRun?.namespace ?? request.namespace;
  const owner: V1OwnerReference | undefined =
    analysisRun && runNamespace === request.namespace
      ? {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisRun',
          name: analysisRun.name,
          uid: analysisRun.uid,
          controller: true,
          blockOwnerDeletion: true,
        }
      : undefined;
  const template = job.spec.template;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: request.name,
      namespace: request.namespace,
      labels: { ...job.metadata?.labels, ...runLabel },
      annotations: {
        ...job.metadata?.annotations,
        ...(analysisRun ? { [analysisRunNameAnnotation]: analysisRun.name, [analysisRunNamespaceAnnotation]: runNamespace } : {}),
        [analysisRunMetricAnnotation]: request.metricName,
      },
      ...(owner ? { ownerReferences: [owner] } : {}),
    },
    spec: {
      ...job.spec,
      template: { ...template, metadata: { ...template.metadata, labels: { ...template.metadata?.labels, ...runLabel } } },
    },
  };
}
