import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../main/core/errors.js';
import { parseWorkspace } from '../../main/core/template/workspace.js';

function parse(source: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lwb-triggers-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src', 'app.js'), 'exports.handler = async () => 1;');
  return parseWorkspace(source, path.join(dir, 'template.yaml'), { region: 'us-east-1', accountId: '123456789012' });
}

function problems(source: string): string[] {
  try {
    parse(source);
  } catch (error) {
    if (error instanceof TemplateError) return error.problems.map((problem) => `${problem.resource}: ${problem.path}: ${problem.message}`);
    throw error;
  }
  throw new Error('expected the template to be rejected');
}

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Photos:
    Type: AWS::S3::Bucket
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 5
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt Failed.Arn
        maxReceiveCount: 3
  Failed:
    Type: AWS::SQS::Queue
  Alerts:
    Type: AWS::SNS::Topic
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs20.x
      FunctionUrlConfig:
        AuthType: AWS_IAM
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Photos
            Events: s3:ObjectCreated:*
            Filter:
              S3Key:
                Rules:
                  - Name: suffix
                    Value: .jpg
        Queue:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
            BatchSize: 10
            FunctionResponseTypes: [ReportBatchItemFailures]
        Alert:
          Type: SNS
          Properties:
            Topic: !Ref Alerts
        Orders:
          Type: EventBridgeRule
          Properties:
            Pattern:
              source: [shop.orders]
        Tick:
          Type: Schedule
          Properties:
            Schedule: rate(1 minute)
        Get:
          Type: HttpApi
          Properties:
            Path: /items/{id}
            Method: get
`;

describe('trigger configuration', () => {
  it('reads every event of a function', () => {
    const { triggers } = parse(TEMPLATE);
    expect(triggers.buckets).toEqual([
      expect.objectContaining({
        name: 'photos',
        notifications: [expect.objectContaining({ functionName: 'Worker', suffix: '.jpg', events: ['s3:ObjectCreated:*'] })],
      }),
    ]);
    expect(triggers.queues.find((queue) => queue.name === 'Jobs')).toMatchObject({
      visibilityTimeoutSeconds: 5,
      redrive: { deadLetterQueue: 'Failed', maxReceiveCount: 3 },
    });
    expect(triggers.queueMappings).toEqual([
      expect.objectContaining({ functionName: 'Worker', queue: 'Jobs', batchSize: 10, reportBatchItemFailures: true, enabled: true }),
    ]);
    expect(triggers.topics[0]!.subscriptions).toEqual([expect.objectContaining({ functionName: 'Worker' })]);
    expect(triggers.rules.map((rule) => [rule.name, rule.bus, rule.schedule ?? null])).toEqual([
      ['WorkerOrders', 'default', null],
      ['WorkerTick', 'default', 'rate(1 minute)'],
    ]);
    expect(triggers.apis).toEqual([
      expect.objectContaining({ method: 'GET', path: '/items/{id}', payloadVersion: '2.0', kind: 'HttpApi' }),
    ]);
    expect(triggers.urls).toEqual([expect.objectContaining({ functionName: 'Worker', authType: 'AWS_IAM' })]);
  });

  it('refuses a batch over 10 without a batching window', () => {
    expect(problems(TEMPLATE.replace('BatchSize: 10', 'BatchSize: 100'))).toContain(
      'Worker: Properties.Events.Queue.Properties.MaximumBatchingWindowInSeconds: must be at least 1 when BatchSize (100) is over 10, as Lambda requires.',
    );
  });

  it('refuses a bad schedule and a bad pattern with their paths', () => {
    expect(problems(TEMPLATE.replace('rate(1 minute)', 'rate(1 minutes)'))[0]).toMatch(
      /^Worker: Properties\.Events\.Tick\.Properties\.Schedule: rate\(1 minutes\) is not valid/,
    );
    expect(problems(TEMPLATE.replace('source: [shop.orders]', 'source: shop.orders'))[0]).toMatch(
      /Events\.Orders\.Properties\.Pattern\.source must be a list/,
    );
  });

  it('reads an ALB listener that forwards to a Lambda target group', () => {
    const { triggers } = parse(`${TEMPLATE}
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      TargetType: lambda
      Targets:
        - Id: !GetAtt Worker.Arn
      TargetGroupAttributes:
        - Key: lambda.multi_value_headers.enabled
          Value: 'true'
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      Port: 80
      Protocol: HTTP
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref Targets
  ApiRule:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref Listener
      Priority: 10
      Conditions:
        - Field: path-pattern
          PathPatternConfig:
            Values: [/api/*]
      Actions:
        - Type: forward
          TargetGroupArn: !Ref Targets
`);
    expect(triggers.listeners).toEqual([
      expect.objectContaining({
        port: 80,
        defaultTarget: expect.objectContaining({ functionName: 'Worker', multiValueHeaders: true }),
        rules: [expect.objectContaining({ priority: 10, paths: ['/api/*'] })],
      }),
    ]);
  });
});
