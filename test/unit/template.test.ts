import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../main/core/errors.js';
import { parseWorkspace } from '../../main/core/template/workspace.js';

const SETTINGS = { region: 'eu-west-1', accountId: '111122223333' };

/** Creates a workspace folder with a src/ code folder, so that CodeUri checks pass. */
function workspaceDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lwb-template-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src', 'app.js'), 'exports.handler = async () => 1;');
  writeFileSync(path.join(dir, 'package.zip'), 'PK');
  return dir;
}

function parse(source: string, overrides?: Record<string, string>) {
  const dir = workspaceDir();
  return parseWorkspace(source, path.join(dir, 'template.yaml'), { ...SETTINGS, ...(overrides ? { parameterOverrides: overrides } : {}) });
}

function problemsOf(source: string): string[] {
  try {
    parse(source);
  } catch (error) {
    if (error instanceof TemplateError) return error.problems.map((p) => `${p.resource}: ${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected the template to be rejected');
}

const fn = (properties: string): string => `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
${properties}`;

describe('template reading', () => {
  it('fills in Lambda defaults', () => {
    const [config] = parse(fn('')).functions;
    expect(config).toMatchObject({
      name: 'Fn',
      memoryMb: 128,
      timeoutSeconds: 3,
      ephemeralStorageMb: 512,
      architecture: 'x86_64',
      packageType: 'Zip',
    });
    expect(config!.code).toEqual({ kind: 'folder', path: expect.stringMatching(/src$/) });
  });

  it('merges Globals.Function', () => {
    const workspace = parse(`
Globals:
  Function:
    Timeout: 30
    MemorySize: 1024
    Environment: { Variables: { SHARED: global, OVERRIDDEN: global } }
    Tags: { team: blue }
    Layers: [arn:aws:lambda:eu-west-1:111122223333:layer:a:1]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      Timeout: 5
      Environment: { Variables: { OVERRIDDEN: own, OWN: own } }
      Layers: [arn:aws:lambda:eu-west-1:111122223333:layer:b:2]
`);
    const config = workspace.functions[0]!;
    expect(config.timeoutSeconds).toBe(5);
    expect(config.memoryMb).toBe(1024);
    expect(config.environment).toEqual({ SHARED: 'global', OVERRIDDEN: 'own', OWN: 'own' });
    expect(config.tags).toEqual({ team: 'blue' });
    expect(config.properties.Layers).toEqual([
      'arn:aws:lambda:eu-west-1:111122223333:layer:a:1',
      'arn:aws:lambda:eu-west-1:111122223333:layer:b:2',
    ]);
  });

  it('resolves short-form intrinsics', () => {
    const source = `
Parameters:
  Stage: { Type: String, Default: dev }
  Size: { Type: Number, Default: 256 }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties: { QueueName: jobs }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
      MemorySize: !Ref Size
      Description: !Sub "Handles \${Stage} jobs in \${AWS::Region}, not \${!Literal}"
      Environment:
        Variables:
          QUEUE_URL: !Ref Queue
          QUEUE_ARN: !GetAtt Queue.Arn
          FN_NAME: !Ref AWS::StackName
          MODE: !If [IsProd, production, development]
          JOINED: !Join ['-', [a, !Select [1, [x, y]], !Base64 hi]]
          SPLIT: !Select [0, !Split [',', 'first,second']]
`;
    const workspace = parse(source, { Stage: 'qa' });
    const config = workspace.functions[0]!;
    expect(config.memoryMb).toBe(256);
    expect(config.description).toBe('Handles qa jobs in eu-west-1, not ${Literal}');
    expect(config.environment).toEqual({
      QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/jobs',
      QUEUE_ARN: 'arn:aws:sqs:eu-west-1:111122223333:jobs',
      FN_NAME: path.basename(path.dirname(workspace.templatePath)),
      MODE: 'development',
      JOINED: 'a-y-aGk=',
      SPLIT: 'first',
    });
    const written = workspace.document.toString();
    expect(written).toContain('QUEUE_ARN: !GetAtt Queue.Arn');
    expect(written).toContain('MODE: !If [ IsProd, production, development ]');
    expect(written).toContain('MemorySize: !Ref Size');
  });

  it('keeps unknown properties', () => {
    const config = parse(fn('      ReservedConcurrentExecutions: 5\n      SomethingNew: { Nested: true }')).functions[0]!;
    expect(config.properties.ReservedConcurrentExecutions).toBe(5);
    expect(config.properties.SomethingNew).toEqual({ Nested: true });
  });

  it('reads zip and inline code', () => {
    const workspace = parse(`
Resources:
  Zipped:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: package.zip, Handler: app.handler, Runtime: nodejs20.x, FunctionName: orders-api }
  Inline:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Code:
        ZipFile: |
          def handler(event, context):
              return 1
`);
    expect(workspace.functions.map((f) => [f.logicalId, f.name, f.code.kind])).toEqual([
      ['Zipped', 'orders-api', 'zip'],
      ['Inline', 'Inline', 'inline'],
    ]);
  });

  it('skips a false Condition', () => {
    const workspace = parse(`
Conditions:
  Never: !Equals [a, b]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Condition: Never
    Properties: { CodeUri: src/, Handler: app.handler, Runtime: nodejs20.x }
`);
    expect(workspace.functions).toEqual([]);
  });
});

describe('template validation', () => {
  it.each([
    ['      Timeout: 901', 'Fn: Properties.Timeout: 901 is over the 900 s maximum (allowed: 1 to 900 s).'],
    ['      Timeout: 0', 'Fn: Properties.Timeout: 0 is under the 1 s minimum (allowed: 1 to 900 s).'],
    ['      MemorySize: 64', 'Fn: Properties.MemorySize: 64 is under the 128 MB minimum (allowed: 128 to 10240 MB).'],
    ['      MemorySize: 10241', 'Fn: Properties.MemorySize: 10241 is over the 10240 MB maximum (allowed: 128 to 10240 MB).'],
    ['      MemorySize: 512.5', 'Fn: Properties.MemorySize: 512.5 is not a whole number; use 128 to 10240 MB.'],
    [
      '      EphemeralStorage: { Size: 256 }',
      'Fn: Properties.EphemeralStorage.Size: 256 is under the 512 MB minimum (allowed: 512 to 10240 MB).',
    ],
    ['      Architectures: [sparc]', 'Fn: Properties.Architectures: ["sparc"] is not valid; list exactly one of x86_64 or arm64.'],
    [
      '      Environment: { Variables: { AWS_REGION: x } }',
      'Fn: Properties.Environment.Variables.AWS_REGION: AWS_REGION is reserved by Lambda and cannot be set; choose another name.',
    ],
    ['      Description: ' + 'd'.repeat(257), 'Fn: Properties.Description: is 257 characters long, over the 256-character maximum.'],
  ])('rejects %s', (property, message) => {
    expect(problemsOf(fn(property))).toContain(message);
  });

  it('rejects an unknown runtime', () => {
    const source = fn('').replace('nodejs20.x', 'cobol1.0');
    expect(problemsOf(source)[0]).toMatch(
      /^Fn: Properties.Runtime: "cobol1.0" is not a runtime the workbench runs; use one of nodejs16.x, .*python3.12.*provided.al2023\.$/,
    );
  });

  it('rejects missing code and handler', () => {
    const source = `
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: nowhere/, Runtime: nodejs20.x }
`;
    const problems = problemsOf(source);
    expect(problems).toContain('Fn: Properties.Handler: is missing; a .zip package needs a handler such as index.handler.');
    expect(problems.some((p) => p.startsWith('Fn: Properties.CodeUri: nowhere/ does not exist'))).toBe(true);
  });

  it('rejects variables over 4 KB', () => {
    const source = fn(`      Environment: { Variables: { BIG: ${'v'.repeat(4100)} } }`);
    expect(problemsOf(source)).toContain(
      "Fn: Properties.Environment.Variables: take 4103 bytes in all, over Lambda's 4096-byte limit for keys and values together.",
    );
  });

  it('locates a YAML syntax error', () => {
    expect(() => parse('Resources:\n  Fn: [unclosed\n')).toThrow(
      /is invalid:\n {2}\(template\): line 3, column 1: Flow sequence in block collection must be sufficiently indented/,
    );
  });
});

describe('template layers', () => {
  const layer = (name: string, extra = ''): string => `
  ${name}:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: src/${extra}`;

  it('resolves !Ref of a layer to its version ARN', () => {
    const dir = workspaceDir();
    const workspace = parseWorkspace(
      `Resources:${layer('Shared', '\n      CompatibleRuntimes: [nodejs20.x]')}
  Fn:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: app.handler, Runtime: nodejs20.x, Layers: [!Ref Shared] }
`,
      path.join(dir, 'template.yaml'),
      { ...SETTINGS, layerVersion: () => 4 },
    );
    expect(workspace.functions[0]!.layers).toEqual(['arn:aws:lambda:eu-west-1:111122223333:layer:Shared:4']);
    expect(workspace.layers[0]).toMatchObject({ name: 'Shared', version: 4, compatibleRuntimes: ['nodejs20.x'] });
  });

  it('rejects a sixth layer', () => {
    const names = ['A', 'B', 'C', 'D', 'E', 'F'];
    const source = `Resources:${names.map((name) => layer(name)).join('')}
  Fn:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: app.handler, Runtime: nodejs20.x, Layers: [${names.map((name) => `!Ref ${name}`).join(', ')}] }
`;
    expect(problemsOf(source)).toContain('Fn: Properties.Layers: lists 6 layers; a function can use at most 5.');
  });

  it('rejects a layer listed twice', () => {
    const source = `Resources:${layer('A')}
  Fn:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: app.handler, Runtime: nodejs20.x, Layers: [!Ref A, 'arn:aws:lambda:eu-west-1:111122223333:layer:A:7'] }
`;
    expect(problemsOf(source)[0]).toMatch(/^Fn: Properties.Layers\[1\]: lists layer A twice/);
  });

  it('rejects a layer built for another runtime or architecture', () => {
    const source = `Resources:${layer('PyOnly', '\n      CompatibleRuntimes: [python3.12]\n      CompatibleArchitectures: [arm64]')}
  Fn:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: app.handler, Runtime: nodejs20.x, Layers: [!Ref PyOnly] }
`;
    const problems = problemsOf(source);
    expect(problems).toContain('Fn: Properties.Layers[0]: layer PyOnly is compatible with python3.12, not with nodejs20.x.');
    expect(problems).toContain('Fn: Properties.Layers[0]: layer PyOnly is built for arm64, not for x86_64.');
  });

  it('rejects layer content in S3', () => {
    const source = `Resources:
  Remote:
    Type: AWS::Lambda::LayerVersion
    Properties:
      Content: { S3Bucket: my-bucket, S3Key: layer.zip }
`;
    expect(problemsOf(source)[0]).toMatch(
      /^Remote: Properties.Content: \{"S3Bucket":"my-bucket","S3Key":"layer.zip"\} cannot be read offline/,
    );
  });

  it('rejects a mount path of . or ..', () => {
    for (const mountPath of ['/mnt/..', '/mnt/.', '/data']) {
      const source = `${fn(`      FileSystemConfigs:
        - Arn: !GetAtt Point.Arn
          LocalMountPath: ${mountPath}`)}
  Files:
    Type: AWS::EFS::FileSystem
  Point:
    Type: AWS::EFS::AccessPoint
    Properties:
      FileSystemId: !Ref Files
`;
      expect(problemsOf(source)[0], mountPath).toMatch(/FileSystemConfigs\[0\]\.LocalMountPath: .* is not valid/);
    }
  });
});
