import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { dataRoot } from '../config/paths.js';
import { WorkbenchError } from '../core/errors.js';
import { SIGNING_PROFILE_VERSION, signingProfileArn } from '../core/template/intrinsics.js';
import { signZip, SigningKeys } from '../engine/code-signing.js';
import type { Logger } from '../logging.js';
import { accountSettings, openWorkspace, type WorkspaceOptions } from './workbench.js';

export interface SignOptions extends Partial<WorkspaceOptions> {
  profile: string;
  validityDays?: number;
}

/**
 * Signs a .zip with a local signing profile, writing <zip>.sig beside it. With a template (given
 * with --template, or template.yaml in the current folder), the profile must be one of its
 * AWS::Signer::SigningProfile resources, and its SignatureValidityPeriod applies.
 */
export function signCommand(zipFile: string, options: SignOptions, logger: Logger): void {
  const archive = path.resolve(zipFile);
  if (!existsSync(archive) || !statSync(archive).isFile()) {
    throw new WorkbenchError('FileNotFound', 'caller', `${zipFile} does not exist or is not a file; give the path of a .zip package.`);
  }

  const header = Buffer.alloc(4);
  const descriptor = openSync(archive, 'r');
  readSync(descriptor, header, 0, 4, 0);
  closeSync(descriptor);
  if (header.readUInt32LE(0) !== 0x04034b50) {
    throw new WorkbenchError('InvalidZip', 'caller', `${zipFile} is not a .zip archive; only .zip packages can be signed.`);
  }

  if (!options.template && existsSync('template.yaml')) options = { ...options, template: 'template.yaml' };
  const account = accountSettings({ template: options.template ?? '', ...options });
  let profile = {
    name: options.profile,
    versionArn: `${signingProfileArn(account.region, account.accountId, options.profile)}/${SIGNING_PROFILE_VERSION}`,
    validityDays: Math.round(135 * 30.44),
  };
  if (options.template) {
    const workspace = openWorkspace(options as WorkspaceOptions, logger);
    const declared = workspace.signingProfiles.find(
      (candidate) => candidate.name === options.profile || candidate.logicalId === options.profile,
    );
    if (!declared) {
      const names = workspace.signingProfiles.map((candidate) => candidate.name).join(', ') || 'none';
      throw new WorkbenchError(
        'SigningProfileNotFound',
        'caller',
        `Signing profile ${options.profile} is not in ${workspace.templatePath}; profiles there: ${names}.`,
      );
    }
    profile = { name: declared.name, versionArn: declared.versionArn, validityDays: declared.validityDays };
  }
  if (options.validityDays !== undefined) profile.validityDays = options.validityDays;
  const signature = signZip(archive, profile, new SigningKeys(path.join(dataRoot(), 'signing-keys')));
  process.stdout.write(`${signature}\n`);
  logger.info(`Signed ${zipFile} as ${profile.versionArn}, valid for ${profile.validityDays} day(s)`);
}
