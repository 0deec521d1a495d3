import { isMap, isScalar, LineCounter, parseAllDocuments, visit } from 'yaml';
import { ValidationError } from '../errors/validation-error.js';
import { manifestLimits } from '../manifest/manifest-limits.js';

/**
 * The value of YAML text, read as parseRollout and parseAnalysisTemplate read
 * manifests: one document, or the one document whose `kind` is among `kinds`
 * in a multi-document file. Bounded before any work (`manifestLimits`), with
 * duplicate keys found in one pass, aliases capped, and every problem a
 * ValidationError whose path is `yaml:<line>:<column>`.
 */
export function readYaml(text: string, subject: string, kinds: readonly string[]): unknown {
  // Checked before any work: the YAML parser's time and memory grow with the text.
  if (text.length > manifestLimits.maxYamlCharacters) {
    throw new ValidationError(`${subject} YAML`, [
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
    throw tooDeep(subject, error);
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
  if (issues.length > 0) throw new ValidationError(`${subject} YAML`, issues);
  const nonEmpty = documents.filter((document) => document.contents !== null);
  if (nonEmpty.length === 0) return null;
  if (nonEmpty.length === 1) return toJs(nonEmpty[0], subject, at);
  // A multi-document file (Services, a Rollout, templates...): take the one of the wanted kind.
  const matching = nonEmpty.filter((document) => isMap(document.contents) && kinds.includes(String(document.get('kind'))));
  if (matching.length !== 1) {
    throw new ValidationError(`${subject} YAML`, [
      {
        path: '',
        message: `expected exactly one document of kind ${kinds.join(' or ')} among ${nonEmpty.length}, found ${matching.length}`,
      },
    ]);
  }
  return toJs(matching[0], subject, at);
}

function toJs(
  document: { toJS(options: { maxAliasCount: number }): unknown; range?: number[] | undefined } | undefined,
  subject: string,
  at: (offset: number) => { path: string; where: string },
): unknown {
  try {
    return document?.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(subject, error);
    // e.g. an alias bomb ("Excessive alias count"): a bad input, not a crash; placed at its document.
    const { path, where } = at(document?.range?.[0] ?? 0);
    throw new ValidationError(`${subject} YAML`, [
      { path, message: `YAML document at ${where}: ${error instanceof Error ? error.message : String(error)}` },
    ]);
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
function tooDeep(subject: string, error: unknown): unknown {
  if (!(error instanceof RangeError)) return error;
  return new ValidationError(`${subject} YAML`, [{ path: '', message: 'YAML is nested too deeply to read' }]);
}

function shorten(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
