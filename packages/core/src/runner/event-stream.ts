/**
 * Fan-out of events to listeners and to async iterators. An iterator sees
 * every event from the moment it was created until `endIterators` is
 * called (the end of a run); iterators created later start afresh.
 */
export class EventStream<T> {
  private readonly listeners = new Set<(value: T) => void>();
  private readonly enders = new Set<() => void>();

  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  push(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  endIterators(): void {
    for (const end of [...this.enders]) end();
  }

  iterate(): AsyncIterator<T> {
    const buffer: T[] = [];
    let notify: (() => void) | undefined;
    let done = false;
    const unsubscribe = this.subscribe((value) => {
      buffer.push(value);
      notify?.();
    });
    const end = () => {
      done = true;
      unsubscribe();
      this.enders.delete(end);
      notify?.();
    };
    this.enders.add(end);
    return {
      next: async (): Promise<IteratorResult<T>> => {
        while (buffer.length === 0 && !done) await new Promise<void>((resolve) => (notify = resolve));
        notify = undefined;
        if (buffer.length > 0) return { value: buffer.shift() as T, done: false };
        return { value: undefined, done: true };
      },
      return: async (): Promise<IteratorResult<T>> => {
        end();
        return { value: undefined, done: true };
      },
    };
  }
}
