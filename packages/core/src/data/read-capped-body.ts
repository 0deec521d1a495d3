import { GradualError, hasMarker } from '../errors/gradual-error.js';

const marker = Symbol.for('gradual.error.BodyTooLargeError');

/** A response body went past its cap; the message names the limit only, never the body. */
export class BodyTooLargeError extends GradualError {
  readonly [marker] = true;

  /** True for a BodyTooLargeError, also one from another copy of @gradual/core (where `instanceof` fails). */
  static override isInstance(error: unknown): error is BodyTooLargeError {
    return hasMarker(error, marker);
  }

  constructor(readonly maxBytes: number) {
    super('BODY_TOO_LARGE', `response body is larger than ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a fetch response's body as UTF-8 text, refusing a declared
 * `content-length` over `maxBytes` before reading and stopping (the stream
 * cancelled) as soon as the bytes read pass it: whoever wrote the server,
 * a body costs at most `maxBytes` of memory.
 *
 * @throws BodyTooLargeError
 */
export async function readCappedBody(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel();
    throw new BodyTooLargeError(maxBytes);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
