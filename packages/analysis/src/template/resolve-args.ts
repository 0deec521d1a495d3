import { type AnalysisRunArgument, GradualError } from '@gradual/core';
import type { TemplateArgument } from './analysis-template-types.js';

/** Args split by when they are known: plain values now, secrets only at measurement time. */
export interface ResolvedArgs {
  values: Record<string, string>;
  secrets: { name: string; secretKeyRef: { name: string; key: string } }[];
}

/**
 * Applies the caller's args to the declared ones (Argo's `MergeArgs`: only
 * args the templates declare are taken), then checks every arg has a source.
 *
 * @throws GradualError `ARGUMENT` naming the first arg that has none (`args.<name> was not resolved`).
 */
export function resolveArgs(declared: readonly TemplateArgument[], incoming: readonly AnalysisRunArgument[] = []): ResolvedArgs {
  const merged = declared.map((arg) => structuredClone(arg));
  for (const arg of incoming) {
    const target = merged.find((candidate) => candidate.name === arg.name);
    if (!target) continue;
    if (arg.value !== undefined) {
      target.value = arg.value;
      delete target.valueFrom;
    } else if (arg.valueFrom !== undefined) {
      target.valueFrom = structuredClone(arg.valueFrom);
      delete target.value;
    }
  }
  const resolved: ResolvedArgs = { values: {}, secrets: [] };
  for (const arg of merged) {
    if (arg.value !== undefined) {
      resolved.values[arg.name] = arg.value;
      continue;
    }
    const secret = arg.valueFrom?.secretKeyRef;
    if (secret) {
      resolved.secrets.push({ name: arg.name, secretKeyRef: { name: secret.name, key: secret.key } });
      continue;
    }
    if (arg.valueFrom?.fieldRef || arg.valueFrom?.podTemplateHashValue) {
      throw new GradualError(
        'ARGUMENT',
        `args.${arg.name} was not resolved: valueFrom.${arg.valueFrom.fieldRef ? 'fieldRef' : 'podTemplateHashValue'} must be resolved into a value by the caller`,
      );
    }
    throw new GradualError('ARGUMENT', `args.${arg.name} was not resolved`);
  }
  return resolved;
}
