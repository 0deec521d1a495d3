import { compileCondition } from '@gradual/analysis';
import { describe, expect, it } from 'vitest';

// Conditions are compiled to generated functions; nothing of a template's text may run as code.
describe('generated condition source', () => {
  const hostile = [
    '"]; globalThis.pwned = true; //',
    "'); globalThis.pwned = true; ('",
    '\\"; globalThis.pwned = true; "',
    '\u2028globalThis.pwned = true\u2029',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text a template literal would run
    '${globalThis.pwned = true}',
  ];
  for (const key of hostile) {
    it(`reads ${JSON.stringify(key)} as a key, never as code`, () => {
      const expression = `result[${JSON.stringify(key)}] == ${JSON.stringify(key)}`;
      const condition = compileCondition(expression);
      expect(condition.evaluate({ [key]: key })).toBe(true);
      expect(condition.evaluate({ other: 1 })).toBe(false);
      expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
    });
  }
});
