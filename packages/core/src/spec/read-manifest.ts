import { isMap, isScalar, LineCounter, parseAllDocuments, visit } from 'yaml';
import { copyPlainData, NotPlainDataError } from '../data/copy-plain-data.js';
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
  const value = typeof input === 'string' ? parseYaml(input, kind) : plainCopy(input, kind);
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

function parseYaml(text: string, kind: string): unknown {
  // Checked before any work: the YAML parser's time and memory grow with the text.
  if (text.length > manifestLimits.maxYamlCharacters) {
    throw new ValidationError(`${kind} YAML`, [
      {
        path: '',
        message: `YAML text of ${text.length} characters is over the limit of ${manifestLimits.maxYamlCharacters} (a Kubernetes object is at most 1.5 MiB)`,
      },
    ]);
  }
  const lineCounter = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { path: `yaml:${line}:${col}`, where: `line ${line}, column ${col}` };
  };
  // uniqueKeys off: the parser's own check compares every key with every other (40,000 keys took 10 s);
  // duplicateKeys() below does the same in one pass.
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    throw tooDeep(kind, error);
  }
  if (!Array.isArray(documents)) return null;
  const issues = documents.flatMap((document) =>
    document.errors.map((error) => {
      const { path, where } = at(error.pos[0]);
      return { path, message: `malformed YAML at ${where}: ${firstLine(error.message)}` };
    }),
  );
  if (issues.length === 0) {
    for (const document of documents) issues.push(...duplicateKeys(document, at));
  }
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
    if (error instanceof RangeError) throw tooDeep(kind, error);
    // e.g. an alias bomb ("Excessive alias count"): a bad input, not a crash.
    throw new ValidationError(`${kind} YAML`, [{ path: '', message: error instanceof Error ? error.message : String(error) }]);
  }
}

/** Keys that appear twice in one mapping, as the YAML spec forbids, each at its position. */
function duplicateKeys(
  document: Parameters<typeof visit>[0],
  at: (offset: number) => { path: string; where: string },
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  visit(document, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (seen.has(key)) {
          const { path, where } = at((isScalar(pair.key) && pair.key.range?.[0]) || 0);
          issues.push({ path, message: `duplicate key ${JSON.stringify(shorten(key))} at ${where}: map keys must be unique` });
        }
        seen.add(key);
      }
    },
  });
  return issues;
}

// The parser and toJS recurse per level: a document nested past what the stack holds is a bad input.
function tooDeep(kind: string, error: unknown): unknown {
  if (!(error instanceof RangeError)) return error;
  return new ValidationError(`${kind} YAML`, [{ path: '', message: 'YAML is nested too deeply to read' }]);
}

function shorten(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
