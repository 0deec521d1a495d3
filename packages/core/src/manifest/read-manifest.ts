import { isMap, LineCounter, parseAllDocuments } from 'yaml';
import { ValidationError } from '../errors/validation-error.js';

/** A manifest read from YAML text or taken as an object, before validation. */
export interface RawManifest {
  kind?: string;
  apiVersion?: string;
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
  const value = typeof input === 'string' ? parseYaml(input, kind) : input;
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

function parseYaml(text: string, kind: string): unknown {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  if (!Array.isArray(documents)) return null;
  const issues = documents.flatMap((document) =>
    document.errors.map((error) => {
      const at = lineCounter.linePos(error.pos[0]);
      return {
        path: `yaml:${at.line}:${at.col}`,
        message: `malformed YAML at line ${at.line}, column ${at.col}: ${firstLine(error.message)}`,
      };
    }),
  );
  if (issues.length > 0) throw new ValidationError(`${kind} YAML`, issues);
  const nonEmpty = documents.filter((document) => document.contents !== null);
  if (nonEmpty.length === 0) return null;
  if (nonEmpty.length === 1) return toJs(nonEmpty[0], kind);
  // A multi-document file (Services, a Rollout, templates...): take the one of the wanted kind.
  const matching = nonEmpty.filter((document) => isMap(document.contents) && document.get('kind') === kind);
  if (matching.length !== 1) {
    throw new ValidationError(`${kind} YAML`, [
      { path: '', message: `expected exactly one document of kind ${kind} among ${nonEmpty.length}, found ${matching.length}` },
    ]);
  }
  return toJs(matching[0], kind);
}

function toJs(document: { toJS(options: { maxAliasCount: number }): unknown } | undefined, kind: string): unknown {
  try {
    return document?.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // e.g. an alias bomb ("Excessive alias count"): a bad input, not a crash.
    throw new ValidationError(`${kind} YAML`, [{ path: '', message: error instanceof Error ? error.message : String(error) }]);
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
