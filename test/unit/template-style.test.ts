import { describe, expect, it } from 'vitest';
import { parseTemplateDocument, stringifyTemplate } from '../../main/core/template/cfn-yaml.js';
import { applyEdits } from '../../main/core/template/editor.js';

/** Sets one function's Timeout and returns the template as written back. */
function setTimeout(source: string, seconds: number): string {
  const document = parseTemplateDocument(source);
  applyEdits(document, [{ logicalId: 'Fn', path: ['Timeout'], value: seconds }]);
  return stringifyTemplate(document, source);
}

const UNPADDED = `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Description: A description long enough that a writer folding lines at eighty columns would wrap it somewhere
      Runtime: nodejs20.x
      Timeout: 3
      Layers: [!Ref SharedLayer]
      Architectures: [x86_64]
      Policies:
      - AWSLambdaBasicExecutionRole
      Environment: {Variables: {MODE: test}}
`;

describe('template style', () => {
  it('changes only the edited line of an unpadded template', () => {
    expect(setTimeout(UNPADDED, 9)).toBe(UNPADDED.replace('Timeout: 3', 'Timeout: 9'));
  });

  it('keeps padded flow collections and indented sequences', () => {
    const padded = UNPADDED.replace('[!Ref SharedLayer]', '[ !Ref SharedLayer ]')
      .replace('[x86_64]', '[ x86_64 ]')
      .replace('{Variables: {MODE: test}}', '{ Variables: { MODE: test } }')
      .replace('      - AWSLambdaBasicExecutionRole', '        - AWSLambdaBasicExecutionRole');
    expect(setTimeout(padded, 9)).toBe(padded.replace('Timeout: 3', 'Timeout: 9'));
  });

  it('keeps a four-space indent', () => {
    const wide =
      'Resources:\n    Fn:\n        Type: AWS::Serverless::Function\n        Properties:\n            Runtime: nodejs20.x\n            Timeout: 3\n';
    expect(setTimeout(wide, 9)).toBe(wide.replace('Timeout: 3', 'Timeout: 9'));
  });
});

const HAND_WRITTEN = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: >
  A description folded by hand at a width of its own, which a writer folding at eighty columns
  would wrap somewhere else.

Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x   # pinned for the workshop
      Tags: {team: blue, stage: dev}   # who owns it
      Layers: [ ]
      Description: 'single quoted'
      Timeout: 3

  Other:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
`;

/** Applies edits to a hand-written template and writes it back. */
function write(source: string, edits: Parameters<typeof applyEdits>[1]): string {
  const document = parseTemplateDocument(source);
  applyEdits(document, edits);
  return stringifyTemplate(document, source);
}

describe('template patching', () => {
  it('leaves every untouched line byte for byte', () => {
    const written = write(HAND_WRITTEN, [{ logicalId: 'Fn', path: ['Timeout'], value: 42 }]);
    expect(written).toBe(HAND_WRITTEN.replace('Timeout: 3', 'Timeout: 42'));
  });

  it('keeps the quoting of an edited string', () => {
    const written = write(HAND_WRITTEN, [{ logicalId: 'Fn', path: ['Description'], value: "it's edited" }]);
    expect(written).toBe(HAND_WRITTEN.replace("'single quoted'", "'it''s edited'"));
  });

  it('adds a property after its siblings and removes one with its line', () => {
    const written = write(HAND_WRITTEN, [
      { logicalId: 'Other', path: ['MemorySize'], value: 256 },
      { logicalId: 'Fn', path: ['Layers'], value: undefined },
    ]);
    expect(written).toBe(
      HAND_WRITTEN.replace('      Layers: [ ]\n', '').replace(
        '      Runtime: nodejs20.x\n',
        '      Runtime: nodejs20.x\n      MemorySize: 256\n',
      ),
    );
  });

  it('adds a resource after a blank line, as its siblings are spaced', () => {
    const document = parseTemplateDocument(HAND_WRITTEN);
    document.setIn(['Resources', 'Third'], document.createNode({ Type: 'AWS::SQS::Queue' }));
    expect(stringifyTemplate(document, HAND_WRITTEN)).toBe(`${HAND_WRITTEN}\n  Third:\n    Type: AWS::SQS::Queue\n`);
  });

  it('rewrites only the changed list', () => {
    const written = write(HAND_WRITTEN, [{ logicalId: 'Fn', path: ['Layers'], value: [{ Ref: 'Shared' }] }]);
    expect(written).toBe(HAND_WRITTEN.replace('      Layers: [ ]\n', '      Layers:\n        - !Ref Shared\n'));
  });
});
