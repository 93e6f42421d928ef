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
