// Development certificates: HTTPS on localhost without a public certificate authority. A small local
// CA, generated on first use, signs a `localhost` certificate. Trust the CA once (NODE_EXTRA_CA_CERTS for
// Node, or the browser's certificate settings) and every server that uses the leaf is trusted. Both live
// in .workbook/certs/, which git ignores: a private key never belongs in a repository. Lab 04's server
// and the fake tenant's standalone HTTPS server both use them; nothing here belongs to the fake tenant.
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DevCertificates {
  /** The CA certificate's file: what NODE_EXTRA_CA_CERTS names. */
  caCertPath: string;
  /** The `localhost` certificate and its private key, for an HTTPS server. */
  certPath: string;
  keyPath: string;
  ca: string;
  cert: string;
  key: string;
}

const DEFAULT_DIR = fileURLToPath(new URL('../.workbook/certs/', import.meta.url));
const DAY_MS = 24 * 60 * 60 * 1000;
const LOCK_STALE_MS = 30_000;

/** The CA and the `localhost` certificate in `dir`: reused while valid, generated when missing or expiring. */
export async function ensureDevCertificates(dir: string = DEFAULT_DIR): Promise<DevCertificates> {
  const files = {
    caCertPath: join(dir, 'ca.crt'),
    caKeyPath: join(dir, 'ca.key'),
    certPath: join(dir, 'localhost.crt'),
    keyPath: join(dir, 'localhost.key'),
  };
  await mkdir(dir, { recursive: true });
  // Test workers and lab servers may start at the same moment: one of them writes, the others wait.
  return withLock(join(dir, '.lock'), async () => {
    let ca = await readPair(files.caCertPath, files.caKeyPath);
    if (!ca || !usable(ca.cert)) {
      ca = await createCa();
      await writePair(files.caCertPath, files.caKeyPath, ca);
    }
    let leaf = await readPair(files.certPath, files.keyPath);
    if (!leaf || !usable(leaf.cert, ca.cert)) {
      leaf = await createLocalhostCertificate(ca);
      await writePair(files.certPath, files.keyPath, leaf);
    }
    return { caCertPath: files.caCertPath, certPath: files.certPath, keyPath: files.keyPath, ca: ca.cert, cert: leaf.cert, key: leaf.key };
  });
}

interface Pair {
  cert: string;
  key: string;
}

// selfsigned signs with SHA-1 unless told otherwise, and TLS clients refuse SHA-1 certificates.
const COMMON = { algorithm: 'sha256', keyType: 'ec', curve: 'P-256' } as const;

/** selfsigned, loaded only to make certificates: most runs find them on disk, and it takes a tenth of a second to load. */
const selfsigned = () => import('selfsigned');

async function createCa(): Promise<Pair> {
  const { generate } = await selfsigned();
  const pems = await generate([{ name: 'commonName', value: 'MCP Workbook local CA' }], {
    ...COMMON,
    notAfterDate: new Date(Date.now() + 5 * 365 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

async function createLocalhostCertificate(ca: Pair): Promise<Pair> {
  const { generate } = await selfsigned();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    ...COMMON,
    notAfterDate: new Date(Date.now() + 365 * DAY_MS),
    ca, // signed by the CA, not self-signed: trusting the CA is what makes it valid
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** Parses, is valid now and for at least another day, and (for the leaf) was signed by this CA. */
function usable(pem: string, issuerPem?: string): boolean {
  try {
    const cert = new X509Certificate(pem);
    const current = Date.parse(cert.validFrom) <= Date.now() && Date.parse(cert.validTo) > Date.now() + DAY_MS;
    return current && (issuerPem === undefined || cert.verify(new X509Certificate(issuerPem).publicKey));
  } catch {
    return false;
  }
}

async function readPair(certPath: string, keyPath: string): Promise<Pair | undefined> {
  try {
    return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
  } catch {
    return undefined;
  }
}

async function writePair(certPath: string, keyPath: string, pair: Pair): Promise<void> {
  await writeFile(keyPath, pair.key, { mode: 0o600 });
  await chmod(keyPath, 0o600); // `mode` applies only when the file is created
  await writeFile(certPath, pair.cert);
}

async function withLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(lockPath); // atomic: exactly one process succeeds
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(lockPath).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > LOCK_STALE_MS) await rm(lockPath, { recursive: true, force: true }); // a crashed writer
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { recursive: true, force: true });
  }
}
