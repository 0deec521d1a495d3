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

// Issue #17: one masking policy for every provider, by value, whatever a header is called.
describe('createRedactor over what a request carries', () => {
  const redact = createRedactor({
    url: 'https://deploy-bot:pa%24%24word@metrics.example/q?token=qs-tok&page=2&signature=abc&filter=everything-long',
    headers: [
      { key: 'X-Auth', value: 'xa' },
      { key: 'X-Tenant', value: 'tenant-credential' },
      { key: 'X-Scope-OrgID', value: '1' },
      { key: 'X-Team', value: 'ten' },
      { key: 'Authorization', value: 'Bearer bearer-tok' },
      { key: 'Accept', value: 'application/json' },
    ],
    oauth2: { clientId: 'gradual', clientSecret: 'client-s3cret' },
    secrets: ['issued-token', undefined],
  });

  it.each([
    ['a header named as a credential, however short', 'got xa', 'got *****'],
    ['any other header with a long value', '{"x-tenant":"tenant-credential"}', '{"x-tenant":"*****"}'],
    ['the credential of a Bearer header, keeping the scheme', 'Authorization: Bearer bearer-tok', 'Authorization: Bearer *****'],
    ['the URL password, decoded and as written', 'pa$$word and pa%24%24word', '***** and *****'],
    ['a query parameter named as a credential', 'token=qs-tok, signature=abc', 'token=*****, signature=*****'],
    ['a long query value', 'filter=everything-long', 'filter=*****'],
    ['the OAuth 2 client secret and a token', 'client-s3cret issued-token', '***** *****'],
    ['the user name where it stands alone', 'user deploy-bot: denied', 'user *****: denied'],
  ])('masks %s', (_what, text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each([
    ['a short value of a header not named as a credential, inside a number', 'value 0.1 of 12', 'value 0.1 of 12'],
    ['public vocabulary', 'content-type: application/json', 'content-type: application/json'],
    ['a short query value not named as a credential', 'page 2 of 20', 'page 2 of 20'],
    ['a user name inside a longer word', 'deploy-bot-2 and my-deploy-bot', 'deploy-bot-2 and my-deploy-bot'],
    ['the client id inside a word', 'gradual-prometheus', 'gradual-prometheus'],
  ])('leaves %s alone', (_what, text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it('masks a short unnamed header value of 3+ characters where it stands alone', () => {
    expect(redact('"x-team":"ten", often, tenth')).toBe('"x-team":"*****", often, tenth');
    expect(redact('"x-scope-orgid":"1"')).toBe('"x-scope-orgid":"1"');
  });

  it('a URL user name of 3+ characters is not masked inside our own words ("*****-agent")', () => {
    const withUser = createRedactor({ url: 'http://user:pw-1@h/' });
    expect(withUser('check the user-agent header')).toBe('check the user-agent header');
    expect(withUser('{"user":"user"}')).toBe('{"*****":"*****"}');
  });

  it('decodes Basic credentials of a header and masks the password in them too', () => {
    const basic = createRedactor({ headers: { authorization: `Basic ${Buffer.from('alice:open-sesame').toString('base64')}` } });
    expect(basic('password open-sesame for alice')).toBe('password ***** for *****');
  });

  it('is linear: a 10 MB text with many near-misses is masked in well under a second', () => {
    const text = `${'deploy-bo'.repeat(1_000_000)} deploy-bot`;
    const started = performance.now();
    expect(redact(text).endsWith(' *****')).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
