import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl. */
export interface TlsMaterial {
  certFile: string;
  keyFile: string;
  certPem: string;
}

/** Writes a fresh EC key and a self-signed certificate (valid one day) into `dir`. */
export async function createTlsMaterial(dir: string): Promise<TlsMaterial> {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '1',
    '-subj',
    '/CN=gradual-test-prometheus',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  return { certFile, keyFile, certPem: await readFile(certFile, 'utf8') };
}
