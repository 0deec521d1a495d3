import { afterEach, describe, expect, it } from 'vitest';
import { checkResult, compileCondition } from '../src/index.js';

// Member reads skip `Object.hasOwn` while the name is not on Object.prototype; these prove an inherited
// or polluted name still reads as missing (nil), on every path that reads a member.
describe('member access never reads Object.prototype', () => {
  const polluted = Object.prototype as Record<string, unknown>;
  afterEach(() => {
    delete polluted.p99;
  });

  it.each([
    ['result.toString == nil', { p99: 1 }],
    ['result.constructor == nil', { p99: 1 }],
    ['result.x.hasOwnProperty == nil', { x: {} }],
    ['result.__proto__ == nil', { p99: 1 }],
  ])('%s on plain data', (expression, value) => {
    expect(compileCondition(expression).evaluate(value)).toBe(true);
    expect(compileCondition(expression).evaluate(checkResult(value))).toBe(true);
  });

  it('a name polluted onto Object.prototype after compiling reads as nil', () => {
    const fused = compileCondition('result.p99 < 300');
    const nested = compileCondition('result.m.p99 == nil');
    const equal = compileCondition('result.p99 == 5');
    // Warm the fast paths first, so they are the ones that meet the polluted prototype.
    for (let i = 0; i < 1000; i++) {
      expect(fused.evaluate({ p99: 250 })).toBe(true);
      expect(nested.evaluate({ m: {} })).toBe(true);
      expect(equal.evaluate({ p99: 5 })).toBe(true);
    }
    polluted.p99 = 5;
    expect(() => fused.evaluate({ errors: 0 })).toThrow(/invalid operation: < \(mismatched types nil and int\)/);
    expect(nested.evaluate({ m: {} })).toBe(true);
    expect(equal.evaluate({ errors: 0 })).toBe(false);
    expect(fused.evaluate({ p99: 250 })).toBe(true);
  });

  it('a null-prototype map built by the language reads its own keys only', () => {
    expect(compileCondition('{a: 1}.toString == nil && {a: 1}.a == 1').evaluate(null)).toBe(true);
  });
});
