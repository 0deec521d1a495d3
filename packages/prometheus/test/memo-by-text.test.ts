// Addresses are parsed once per text since issue 13; the memory that costs must stay bounded whatever the input.
import { describe, expect, it } from 'vitest';
import { memoByText } from '../src/memo-by-text.js';

describe('memoByText', () => {
  it('computes each text once while it is remembered, and never holds more than its limit', () => {
    const computed: string[] = [];
    const length = memoByText((text) => {
      computed.push(text);
      return text.length;
    }, 3);
    expect([length('a'), length('bb'), length('a'), length('bb')]).toEqual([1, 2, 1, 2]);
    expect(computed).toEqual(['a', 'bb']);
    for (let i = 0; i < 10; i++) length(`text ${i}`);
    // 12 distinct texts through a limit of 3: forgotten in batches, each still computed right.
    expect(length('a')).toBe(1);
    expect(computed.filter((text) => text === 'a').length).toBe(2);
  });
});
