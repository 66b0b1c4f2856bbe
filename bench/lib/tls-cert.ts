import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';

export interface SelfSignedCert {
  dir: string;
  certFile: string;
  keyFile: string;
  certPem: string;
  remove(): void;
}

/**
 * A throw-away certificate for `localhost`, so the test ID-porten can run on https: production
 * mode refuses an http issuer, as it should. The portal trusts it through NODE_EXTRA_CA_CERTS,
 * this process through its default CA list.
 */
export function makeLocalhostCert(): SelfSignedCert {
  const dir = mkdtempSync(join(tmpdir(), 'mf-bench-tls-'));
  const certFile = join(dir, 'localhost.crt');
  const keyFile = join(dir, 'localhost.key');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'pipe' },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `openssl could not make a certificate for the test ID-porten: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const certPem = readFileSync(certFile, 'utf8');
  setDefaultCACertificates([...getCACertificates('default'), certPem]);
  return {
    dir,
    certFile,
    keyFile,
    certPem,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
