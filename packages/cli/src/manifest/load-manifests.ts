import { readFileSync } from 'node:fs';
import { type AnalysisTemplate, parseAnalysisTemplate } from '@gradual/analysis';
import { GradualError, parseRollout, type RolloutSpec, ValidationError } from '@gradual/core';
import { yamlSource } from './yaml-source.js';

/** A Rollout, the templates it may name, and any other objects (VirtualServices, routes), read from files. */
export interface LoadedManifests {
  spec: RolloutSpec;
  templates: AnalysisTemplate[];
  objects: unknown[];
}

/**
 * Reads the Rollout file and the other files: the one Rollout (from the
 * first file), every AnalysisTemplate and ClusterAnalysisTemplate of all
 * files, and the remaining objects as plain data.
 *
 * @throws ValidationError (with the file in its subject) when a file does not parse or holds no Rollout.
 */
export function loadManifests(input: { rolloutFile: string; files?: readonly string[] | undefined }): LoadedManifests {
  let spec: RolloutSpec | undefined;
  const templates: AnalysisTemplate[] = [];
  const objects: unknown[] = [];
  for (const file of [input.rolloutFile, ...(input.files ?? [])]) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new GradualError('FILE', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
    for (const source of yamlSource({ file, text })) {
      const error = source.document.errors[0];
      if (error) throw new ValidationError(file, [{ path: '', message: `malformed YAML: ${error.message.split('\n')[0]}` }]);
      try {
        if (source.kind === 'Rollout' && file === input.rolloutFile && !spec) spec = parseRollout(source.data as object);
        else if (source.kind === 'AnalysisTemplate' || source.kind === 'ClusterAnalysisTemplate')
          templates.push(parseAnalysisTemplate(source.data as object));
        else objects.push(source.data);
      } catch (cause) {
        if (ValidationError.isInstance(cause))
          throw new ValidationError(`${file}: ${source.kind} ${source.name ?? ''}`.trim(), cause.issues, { cause });
        throw cause;
      }
    }
  }
  if (!spec) throw new ValidationError(input.rolloutFile, [{ path: 'kind', message: 'holds no Rollout' }]);
  return { spec, templates, objects };
}
