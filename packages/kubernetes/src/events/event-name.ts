/**
 * A name for a new Event on `objectName`, as client-go's recorder makes it: the object's name, a dot and
 * the time in nanoseconds as hex. The clock gives milliseconds, so a sequence number fills the nanoseconds
 * and Events recorded in the same millisecond get different names. Pure.
 */
export function eventName(objectName: string, nowMs: number, sequence: number): string {
  const nanos = BigInt(Math.trunc(nowMs)) * 1_000_000n + BigInt(sequence % 1_000_000);
  return `${objectName}.${nanos.toString(16)}`;
}
