import { type Document, LineCounter, parseAllDocuments } from 'yaml';

/** One YAML document of a file, with what is needed to point back into the text. */
export interface YamlDocument {
  file: string;
  text: string;
  document: Document;
  lineCounter: LineCounter;
  /** The plain data, or undefined when the document did not parse. */
  data: unknown;
  /** `kind` of the object, when it has one. */
  kind?: string | undefined;
  /** `metadata.name`, when it has one. */
  name?: string | undefined;
}

/** Splits a file's text into its YAML documents (empty ones left out). */
export function yamlSource(input: { file: string; text: string }): YamlDocument[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(input.text, { lineCounter, prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [];
  return list
    .filter((document) => document.contents !== null || document.errors.length > 0)
    .map((document) => {
      const data = document.errors.length === 0 ? document.toJS({ maxAliasCount: 100 }) : undefined;
      const object = isObject(data) ? data : undefined;
      const metadata = object && isObject(object['metadata']) ? object['metadata'] : undefined;
      return {
        file: input.file,
        text: input.text,
        document,
        lineCounter,
        data,
        ...(typeof object?.['kind'] === 'string' ? { kind: object['kind'] } : {}),
        ...(typeof metadata?.['name'] === 'string' ? { name: metadata['name'] } : {}),
      };
    });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
