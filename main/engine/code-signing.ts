import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CodeSigningConfig } from '../core/template/security-config.js';

/** A detached signature, written beside the .zip it signs as <zip>.sig. */
export interface SignatureFile {
  format: 'lambda-workbench-signature-1';
  profileVersionArn: string;
  signedAt: string;
  expiresAt: string;
  /** SHA-256 of the .zip, hex. */
  sha256: string;
  /** ECDSA P-384 with SHA-384 over the fields above, base64. */
  signature: string;
}

export type VerificationFailure = 'unsigned' | 'integrity' | 'publisher' | 'expired';

export type Verification =
  { trusted: true; profileVersionArn: string; expiresAt: string } | { trusted: false; failure: VerificationFailure; message: string };

/**
 * The workbench's signing profiles: one ECDSA P-384 key pair per profile name, made on first use
 * and kept in the data folder. They stand in for AWS Signer profiles (platform
 * AWSLambda-SHA384-ECDSA).
 */
export class SigningKeys {
  constructor(private readonly dir: string) {}

  private file(profileName: string): string {
    if (!/^[a-zA-Z0-9_]{2,64}$/.test(profileName)) {
      throw new Error(`${JSON.stringify(profileName)} is not a valid signing profile name; use 2 to 64 letters, digits or underscores.`);
    }
    return path.join(this.dir, `${profileName}.pem`);
  }

  /** The profile's private key, made when it does not exist yet. */
  privateKey(profileName: string): string {
    const file = this.file(profileName);
    if (!existsSync(file)) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    }
    return readFileSync(file, 'utf8');
  }

  /** The profile's public key, or undefined when the profile was never used here. */
  publicKey(profileName: string): string | undefined {
    const file = this.file(profileName);
    if (!existsSync(file)) return undefined;
    return createPublicKey(createPrivateKey(readFileSync(file, 'utf8')))
      .export({ type: 'spki', format: 'pem' })
      .toString();
  }
}

function signedText(fields: Omit<SignatureFile, 'signature' | 'format'>): Buffer {
  return Buffer.from([fields.sha256, fields.profileVersionArn, fields.signedAt, fields.expiresAt].join('\n'));
}

/** Signs a .zip with a profile; writes <zip>.sig and returns its path. */
export function signZip(
  zipPath: string,
  profile: { name: string; versionArn: string; validityDays: number },
  keys: SigningKeys,
  now = new Date(),
): string {
  const sha256 = createHash('sha256').update(readFileSync(zipPath)).digest('hex');
  const fields = {
    profileVersionArn: profile.versionArn,
    signedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + profile.validityDays * 86_400_000).toISOString(),
    sha256,
  };
  const signature = sign('sha384', signedText(fields), keys.privateKey(profile.name)).toString('base64');
  const document: SignatureFile = { format: 'lambda-workbench-signature-1', ...fields, signature };
  const output = `${zipPath}.sig`;
  writeFileSync(output, `${JSON.stringify(document, null, 2)}\n`);
  return output;
}

/**
 * Checks a .zip against a code signing configuration, as Lambda does on each deployment: it must
 * be signed, unchanged since, by an allowed publisher, and not expired.
 */
export function verifyZip(
  zipPath: string,
  config: CodeSigningConfig,
  profileNameOf: (versionArn: string) => string | undefined,
  keys: SigningKeys,
  now = new Date(),
): Verification {
  const sigPath = `${zipPath}.sig`;
  if (!existsSync(sigPath))
    return { trusted: false, failure: 'unsigned', message: `${path.basename(zipPath)} is not signed (no ${path.basename(sigPath)}).` };
  let document: SignatureFile;
  try {
    document = JSON.parse(readFileSync(sigPath, 'utf8')) as SignatureFile;
  } catch {
    return { trusted: false, failure: 'integrity', message: `${path.basename(sigPath)} is not a valid signature file.` };
  }
  if (!config.allowedProfileVersionArns.includes(document.profileVersionArn)) {
    return {
      trusted: false,
      failure: 'publisher',
      message: `${path.basename(zipPath)} is signed by ${document.profileVersionArn}, which is not an allowed publisher of ${config.arn}.`,
    };
  }
  const profileName = profileNameOf(document.profileVersionArn);
  const publicKey = profileName ? keys.publicKey(profileName) : undefined;
  const sha256 = createHash('sha256').update(readFileSync(zipPath)).digest('hex');
  const intact =
    publicKey !== undefined &&
    sha256 === document.sha256 &&
    verify('sha384', signedText(document), publicKey, Buffer.from(document.signature ?? '', 'base64'));
  if (!intact)
    return {
      trusted: false,
      failure: 'integrity',
      message: `${path.basename(zipPath)} does not match its signature: it was changed after signing.`,
    };
  if (Date.parse(document.expiresAt) <= now.getTime()) {
    return { trusted: false, failure: 'expired', message: `The signature of ${path.basename(zipPath)} expired at ${document.expiresAt}.` };
  }
  return { trusted: true, profileVersionArn: document.profileVersionArn, expiresAt: document.expiresAt };
}
