import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../main/core/errors.js';
import { WorkspaceService } from '../../main/engine/workspace-service.js';
import { silentLogger } from '../../main/logging.js';

const TEMPLATE = `# Orders service
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 10 # seconds, for every function
Resources:
  # Takes orders from the API
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler   # the entry point
      Runtime: nodejs20.x
      Environment:
        Variables:
          TABLE: !Ref Table
  Table:
    Type: AWS::Serverless::SimpleTable
`;

function workspace(): WorkspaceService {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lwb-ws-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE);
  return new WorkspaceService(path.join(dir, 'template.yaml'), { region: 'us-east-1', accountId: '123456789012' }, silentLogger());
}

describe('workspace service', () => {
  it('writes edits with comments, tags and order kept', () => {
    const service = workspace();
    const next = service.edit([
      { logicalId: 'Orders', path: ['ReservedConcurrentExecutions'], value: 5 },
      { logicalId: 'Orders', path: ['Timeout'], value: 30 },
    ]);
    const written = readFileSync(service.templatePath, 'utf8');
    expect(written).toContain('# Orders service');
    expect(written).toContain('# Takes orders from the API');
    // Lines the edit did not touch stay byte for byte, spacing before comments included.
    expect(written).toContain('Handler: app.handler   # the entry point');
    expect(written).toContain('Timeout: 10 # seconds, for every function');
    expect(written).toContain('TABLE: !Ref Table');
    expect(written).toContain('ReservedConcurrentExecutions: 5');
    expect(written.indexOf('CodeUri')).toBeLessThan(written.indexOf('ReservedConcurrentExecutions'));
    expect(next.functions[0]).toMatchObject({ reservedConcurrency: 5, timeoutSeconds: 30 });
  });

  it('removes a property and the map it emptied', () => {
    const service = workspace();
    service.edit([{ logicalId: 'Orders', path: ['EventInvokeConfig', 'MaximumRetryAttempts'], value: 0 }]);
    expect(readFileSync(service.templatePath, 'utf8')).toContain('EventInvokeConfig:');
    service.edit([{ logicalId: 'Orders', path: ['EventInvokeConfig', 'MaximumRetryAttempts'], value: undefined }]);
    expect(readFileSync(service.templatePath, 'utf8')).not.toContain('EventInvokeConfig');
  });

  it('leaves the file unchanged when an edit is invalid', () => {
    const service = workspace();
    const before = readFileSync(service.templatePath, 'utf8');
    expect(() => service.edit([{ logicalId: 'Orders', path: ['Timeout'], value: 901 }])).toThrow(TemplateError);
    expect(readFileSync(service.templatePath, 'utf8')).toBe(before);
    expect(service.current.functions[0]!.timeoutSeconds).toBe(10);
  });

  it('picks up an edit made outside the workbench', async () => {
    const service = workspace();
    const changed = new Promise<number>((resolve) => service.once('changed', (next) => resolve(next.functions[0]!.memoryMb)));
    service.watch();
    writeFileSync(service.templatePath, TEMPLATE.replace('Runtime: nodejs20.x', 'Runtime: nodejs20.x\n      MemorySize: 512'));
    expect(await changed).toBe(512);
    service.close();
  });

  it('keeps the last valid workspace when the file becomes invalid', async () => {
    const service = workspace();
    const invalid = new Promise<Error>((resolve) => service.once('invalid', resolve));
    service.watch();
    writeFileSync(service.templatePath, TEMPLATE.replace('Runtime: nodejs20.x', 'Runtime: nodejs20.x\n      MemorySize: 64'));
    expect((await invalid).message).toContain('MemorySize: 64 is under the 128 MB minimum');
    expect(service.current.functions[0]!.memoryMb).toBe(128);
    service.close();
  });
});

describe('template editing', () => {
  it('keeps an inline comment on an edited value', () => {
    const service = workspace();
    service.edit([{ logicalId: 'Orders', path: ['Handler'], value: 'app.other' }]);
    expect(readFileSync(service.templatePath, 'utf8')).toContain('Handler: app.other   # the entry point');
  });

  it('keeps short tags of unchanged keys when a map is set', () => {
    const service = workspace();
    service.edit([{ logicalId: 'Orders', path: ['Environment', 'Variables'], value: { TABLE: 'Table', EXTRA: 'x' } }]);
    const written = readFileSync(service.templatePath, 'utf8');
    expect(written).toContain('EXTRA: x');
    expect(written).toContain('TABLE: !Ref Table');
  });
});
