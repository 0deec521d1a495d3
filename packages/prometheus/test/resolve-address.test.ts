// Since issue 13 the request is sent to the parts of the address read once here (no URL parsed per query):
// host without an IPv6 address' brackets, port only when not the scheme's, the path without trailing slashes.
import { describe, expect, it } from 'vitest';
import { resolveAddress } from '../src/resolve-address.js';

const targetOf = (address: string) => resolveAddress({ metric: address, env: {}, metricName: 'm' }).target;

describe('resolveAddress gives the target queries are sent to', () => {
  it.each([
    ['http://prometheus:9090', { https: false, hostname: 'prometheus', port: '9090', basePath: '' }],
    ['http://prometheus:80/', { https: false, hostname: 'prometheus', port: '', basePath: '' }],
    ['https://user:pass@prometheus/prefix/', { https: true, hostname: 'prometheus', port: '', basePath: '/prefix' }],
    ['https://prometheus:8443/a b/ü//?x=1#y', { https: true, hostname: 'prometheus', port: '8443', basePath: '/a%20b/%C3%BC' }],
    ['http://[::1]:9090/p', { https: false, hostname: '::1', port: '9090', basePath: '/p' }],
  ])('%s', (address, target) => {
    expect(targetOf(address)).toEqual(target);
  });
});
