/** RFC 6902 JSON patch, as kube-apiserver applies `application/json-patch+json`. */

/** One operation of a JSON patch. */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'test' | 'move' | 'copy';
  path: string;
  from?: string;
  value?: unknown;
}

/** Applies the operations to `document` in place; throws an Error worded as kube-apiserver words a failed patch. */
export function jsonPatch(document: Record<string, unknown>, operations: JsonPatchOperation[]): Record<string, unknown> {
  const segments = (pointer: string) =>
    pointer === ''
      ? []
      : pointer
          .slice(1)
          .split('/')
          .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const parentOf = (path: string): [Record<string, unknown> | unknown[], string] => {
    const parts = segments(path);
    const last = parts.pop();
    if (last === undefined) throw new Error(`invalid path "${path}"`);
    let node: unknown = document;
    for (const part of parts) {
      node = (node as Record<string, unknown>)?.[part];
      if (typeof node !== 'object' || node === null) throw new Error(`path "${path}" does not exist`);
    }
    return [node as Record<string, unknown>, last];
  };
  const read = (path: string): unknown => {
    let node: unknown = document;
    for (const part of segments(path)) {
      if (typeof node !== 'object' || node === null || !(part in (node as object)))
        throw new Error(`path "${path}" does not exist`);
      node = (node as Record<string, unknown>)[part];
    }
    return node;
  };
  const remove = (path: string) => {
    const [parent, key] = parentOf(path);
    if (Array.isArray(parent)) {
      if (Number(key) >= parent.length) throw new Error(`path "${path}" does not exist`);
      parent.splice(Number(key), 1);
    } else {
      if (!(key in parent)) throw new Error(`path "${path}" does not exist`);
      delete parent[key];
    }
  };
  const add = (path: string, value: unknown) => {
    const [parent, key] = parentOf(path);
    if (Array.isArray(parent)) parent.splice(key === '-' ? parent.length : Number(key), 0, structuredClone(value));
    else parent[key] = structuredClone(value);
  };
  for (const operation of operations) {
    switch (operation.op) {
      case 'add':
        add(operation.path, operation.value);
        break;
      case 'remove':
        remove(operation.path);
        break;
      case 'replace':
        remove(operation.path);
        add(operation.path, operation.value);
        break;
      case 'test':
        if (JSON.stringify(read(operation.path)) !== JSON.stringify(operation.value)) {
          throw new Error(`testing value ${operation.path} failed`);
        }
        break;
      case 'move': {
        const value = read(operation.from ?? '');
        remove(operation.from ?? '');
        add(operation.path, value);
        break;
      }
      case 'copy':
        add(operation.path, read(operation.from ?? ''));
        break;
    }
  }
  return document;
}
