import { copyPlainData, NotPlainDataError } from '../data/copy-plain-data.js';
import { readYaml } from '../data/read-yaml.js';
import { ValidationError } from '../errors/validation-error.js';
import { manifestLimits } from './manifest-limits.js';

/** A manifest read from YAML text or taken as an object, before validation. */
export interface RawManifest {
  kind?: string | undefined;
  apiVersion?: string | undefined;
  /** Undefined when present but not an object (reported by the caller). */
  metadata: Record<string, unknown> | undefined;
  spec: unknown;
}

/**
 * Reads YAML text (one document, or several of which one has the wanted
 * kind) or an object: a `kind: <kind>` manifest or a bare spec.
 * Malformed YAML is a ValidationError that names the line.
 */
export function readManifest(
  input: unknown,
  kind: string,
  looksLikeBareSpec: (value: Record<string, unknown>) => boolean,
): RawManifest {
  const value = typeof input === 'string' ? readYaml(input, kind, [kind]) : plainCopy(input, kind);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError(kind, [{ path: '', message: `expected a ${kind} manifest or its spec as an object or YAML text` }]);
  }
  const object = value as Record<string, unknown>;
  if (object.kind === undefined && object.apiVersion === undefined && looksLikeBareSpec(object)) {
    return { metadata: {}, spec: object };
  }
  if (object.kind !== kind) {
    throw new ValidationError(kind, [
      { path: 'kind', message: `expected "${kind}", got ${object.kind === undefined ? 'nothing' : JSON.stringify(object.kind)}` },
    ]);
  }
  const metadata =
    object.metadata == null
      ? {}
      : typeof object.metadata === 'object' && !Array.isArray(object.metadata)
        ? (object.metadata as Record<string, unknown>)
        : undefined;
  return { kind, apiVersion: object.apiVersion as string | undefined, metadata, spec: object.spec };
}

/**
 * An object given by a program is copied as plain data before anything reads it: a getter, a
 * Proxy, a function, a symbol, a class instance, a cycle or nesting past the limit is refused
 * with its path, so that no code of the caller's runs during validation and the spec cannot
 * change afterwards.
 */
function plainCopy(input: unknown, kind: string): unknown {
  try {
    return copyPlainData(input, {
      root: '',
      undefinedAs: 'omit',
      finiteNumbers: true,
      maxDepth: manifestLimits.maxDepth,
      maxValues: manifestLimits.maxValues,
    });
  } catch (error) {
    if (!(error instanceof NotPlainDataError)) throw error;
    throw new ValidationError(kind, [{ path: error.path, message: `is not plain data: ${error.reason}` }]);
  }
}
