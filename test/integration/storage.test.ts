import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signZip, SigningKeys } from '../../main/engine/code-signing.js';
import { copyFixture, startWorkbench, type TestWorkbench } from '../support/workbench.js';

let workbench: TestWorkbench;
let templatePath: string;
let keys: SigningKeys;
const profile = {
  name: 'workshop_signer',
  versionArn: 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/workshop_signer/local1',
  validityDays: 30,
};

async function writeZip(file: string, handlerBody: string): Promise<void> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(`exports.handler = async () => (${handlerBody});\n`), 'index.js', { mode: 0o100644 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  writeFileSync(file, Buffer.concat(chunks));
}

const signedDir = (): string => path.join(path.dirname(templatePath), 'signed');

beforeAll(async () => {
  templatePath = copyFixture('storage');
  await writeZip(path.join(signedDir(), 'enforced.zip'), '{ "signed": true }');
  await writeZip(path.join(signedDir(), 'warned.zip'), '{ "warned": true }');
  workbench = await startWorkbench(templatePath);
  keys = new SigningKeys(path.join(workbench.workbench.dataDir, 'signing-keys'));
});

afterAll(async () => {
  await workbench?.close();
});

describe('file systems', () => {
  it('shares one folder between concurrent environments', async () => {
    const [first, second] = await Promise.all([
      workbench.invoke('UsesFiles', { waitMs: 800 }),
      workbench.invoke('UsesFiles', { waitMs: 800 }),
    ]);
    const ids = [first!.headers.get('x-amzn-requestid'), second!.headers.get('x-amzn-requestid')].sort();
    expect((first!.json() as { seen: string[] }).seen).toEqual(expect.arrayContaining(ids));
    expect((second!.json() as { seen: string[] }).seen).toEqual(expect.arrayContaining(ids));
    expect((first!.json() as { uid: number }).uid).toBe(993);
    const hostFolder = path.join(path.dirname(templatePath), 'efs', 'SharedFiles', 'lambda');
    expect(readdirSync(hostFolder)).toEqual(expect.arrayContaining(ids as string[]));
  });
});

describe('code signing', () => {
  const deploy = async (name: string) => {
    await workbench.engine.redeploy(name);
    return workbench.invoke(name, {});
  };

  it('serves the code signing configuration of a function', async () => {
    const forFunction = (await (await fetch(`${workbench.baseUrl}/2020-06-30/functions/Enforced/code-signing-config`)).json()) as {
      CodeSigningConfigArn: string;
      FunctionName: string;
    };
    expect(forFunction.FunctionName).toBe('Enforced');
    expect(forFunction.CodeSigningConfigArn).toMatch(/^arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-[0-9a-f]{17}$/);
    const config = (await (
      await fetch(`${workbench.baseUrl}/2020-04-22/code-signing-configs/${encodeURIComponent(forFunction.CodeSigningConfigArn)}`)
    ).json()) as {
      CodeSigningConfig: { CodeSigningPolicies: { UntrustedArtifactOnDeployment: string } };
    };
    expect(config.CodeSigningConfig.CodeSigningPolicies.UntrustedArtifactOnDeployment).toBe('Enforce');
  });

  it('runs a signed package under Enforce', async () => {
    signZip(path.join(signedDir(), 'enforced.zip'), profile, keys);
    const response = await deploy('Enforced');
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ signed: true });
    expect(workbench.engine.codeSigningChecks.get('Enforced')?.verification.trusted).toBe(true);
  });

  it('refuses an altered package under Enforce', async () => {
    await writeZip(path.join(signedDir(), 'enforced.zip'), '{ "tampered": true }');
    const response = await deploy('Enforced');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidCodeSignatureException');
    expect((response.json() as { message: string }).message).toMatch(
      /^The code signature failed the integrity check\. enforced\.zip does not match its signature/,
    );
  });

  it('refuses an unsigned or expired package under Enforce', async () => {
    const zip = path.join(signedDir(), 'enforced.zip');
    await writeZip(zip, '{ "signed": "again" }');
    rmSync(`${zip}.sig`);
    const unsigned = await deploy('Enforced');
    expect(unsigned.status).toBe(400);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('CodeVerificationFailedException');
    expect((unsigned.json() as { message: string }).message).toContain('enforced.zip is not signed');

    signZip(zip, { ...profile, validityDays: 0 }, keys);
    const expired = await deploy('Enforced');
    expect(expired.headers.get('x-amzn-errortype')).toBe('CodeVerificationFailedException');
    expect((expired.json() as { message: string }).message).toMatch(/The signature of enforced\.zip expired at /);
  });

  it('runs an altered package under Warn and records the warning', async () => {
    const zip = path.join(signedDir(), 'warned.zip');
    signZip(zip, profile, keys);
    await writeZip(zip, '{ "warned": "altered" }');
    const response = await deploy('Warned');
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ warned: 'altered' });
    const check = workbench.engine.codeSigningChecks.get('Warned');
    expect(check?.policy).toBe('Warn');
    expect(check?.verification).toMatchObject({ trusted: false, failure: 'integrity' });
    expect(existsSync(`${zip}.sig`)).toBe(true);
  });
});
