import { createRedactor, REDACTED } from '@gradual/core/adapter';
import { describe, expect, it } from 'vitest';

describe('createRedactor', () => {
  const redact = createRedactor(['hunter2', undefined, 'tok en/1']);

  it.each([
    ['as is', 'password hunter2 rejected'],
    ['percent-encoded', 'GET /v1/tok%20en%2F1/health failed'],
    ['as a URL path writes it', 'GET /v1/tok%20en/1/health failed'],
    ['base64 inside Basic auth, any alignment', `authorization=Basic ${Buffer.from('bob:hunter2').toString('base64')}`],
    ['base64 with a longer user name', `Basic ${Buffer.from('alice:hunter2').toString('base64')}`],
  ])('masks a secret %s', (_form, text) => {
    const out = redact(text);
    expect(out).toContain(REDACTED);
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('tok en');
    // What is left cannot be decoded back to the password.
    const base64Runs = out.match(/[A-Za-z0-9+/]{8,}={0,2}/g) ?? [];
    for (const run of base64Runs) expect(Buffer.from(run, 'base64').toString('latin1')).not.toContain('hunter2');
  });

  it('leaves text without secrets alone, and masks short passwords too', () => {
    expect(redact('nothing to see')).toBe('nothing to see');
    expect(createRedactor(['pw'])('user:pw')).toBe(`user:${REDACTED}`);
    expect(createRedactor([])('pw')).toBe('pw');
  });
});

describe('createRedactor: escaped forms (final review)', () => {
  it.each([
    ['JSON-escaped', 's3cr"et\\tok', JSON.stringify({ token: 's3cr"et\\tok' })],
    ['JSON-escaped twice', 'pa"ss\\wd', JSON.stringify(JSON.stringify({ msg: 'bad password pa"ss\\wd' }))],
    [
      'form-encoded',
      'open sesame!',
      `query=up%7Btenant%3D%22${new URLSearchParams({ x: 'open sesame!' }).toString().slice(2)}%22%7D`,
    ],
    ['as a URL query writes it', "it's-secret", `GET ${new URL("http://h/?t=it's-secret").href}`],
  ])('%s', (_form, secret, text) => {
    const out = createRedactor([secret])(text);
    expect(out).toContain(REDACTED);
    for (const piece of ['s3cr', 'pa\\', 'sesame', "it's", 'it%27s']) expect(out).not.toContain(piece);
  });
});
