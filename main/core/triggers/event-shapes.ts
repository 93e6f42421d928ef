import { createHash, randomBytes, randomUUID } from 'node:crypto';

/**
 * The events AWS services hand to Lambda, in the shapes Lambda's documentation gives: S3
 * notifications, SQS batches, SNS notifications and EventBridge events.
 */

export interface AccountFacts {
  region: string;
  accountId: string;
}

export interface S3ObjectChange {
  bucket: string;
  key: string;
  /** ObjectCreated:Put, ObjectCreated:Copy, ObjectRemoved:Delete... */
  eventName: string;
  size?: number;
  eTag?: string;
  /** Orders the changes of one key: a later change has a greater sequencer. */
  sequencer: string;
  time: Date;
}

/**
 * Encodes an object key as S3 writes it in notifications: URL-encoded, with a space as +.
 * Lambda functions decode it with decodeURIComponent(key.replace(/\+/g, ' ')).
 */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/')
    .replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function s3Event(change: S3ObjectChange, account: AccountFacts, configurationId: string): Record<string, unknown> {
  const created = change.eventName.startsWith('ObjectCreated');
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: account.region,
        eventTime: change.time.toISOString(),
        eventName: change.eventName,
        userIdentity: { principalId: `AWS:${account.accountId}` },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: {
          'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
          'x-amz-id-2': randomBytes(24).toString('base64'),
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId,
          bucket: { name: change.bucket, ownerIdentity: { principalId: account.accountId }, arn: `arn:aws:s3:::${change.bucket}` },
          object: {
            key: encodeS3Key(change.key),
            ...(created ? { size: change.size ?? 0, eTag: change.eTag ?? '' } : {}),
            sequencer: change.sequencer,
          },
        },
      },
    ],
  };
}

export interface SqsRecordInput {
  messageId: string;
  receiptHandle: string;
  body: string;
  receiveCount: number;
  sentMs: number;
  firstReceivedMs: number;
  messageAttributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  /** FIFO queues only. */
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
}

export function sqsEvent(records: SqsRecordInput[], queueArn: string, account: AccountFacts): Record<string, unknown> {
  return {
    Records: records.map((record) => ({
      messageId: record.messageId,
      receiptHandle: record.receiptHandle,
      body: record.body,
      attributes: {
        ApproximateReceiveCount: String(record.receiveCount),
        SentTimestamp: String(record.sentMs),
        SenderId: account.accountId,
        ApproximateFirstReceiveTimestamp: String(record.firstReceivedMs),
        ...(record.sequenceNumber ? { SequenceNumber: record.sequenceNumber } : {}),
        ...(record.groupId ? { MessageGroupId: record.groupId } : {}),
        ...(record.deduplicationId ? { MessageDeduplicationId: record.deduplicationId } : {}),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(record.messageAttributes).map(([name, attribute]) => [
          name,
          {
            ...(attribute.StringValue !== undefined ? { stringValue: attribute.StringValue } : {}),
            ...(attribute.BinaryValue !== undefined ? { binaryValue: attribute.BinaryValue } : {}),
            stringListValues: [],
            binaryListValues: [],
            dataType: attribute.DataType,
          },
        ]),
      ),
      md5OfBody: createHash('md5').update(record.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: account.region,
    })),
  };
}

export interface SnsNotification {
  messageId: string;
  topicArn: string;
  subscriptionArn: string;
  message: string;
  subject?: string;
  time: Date;
  attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
}

export function snsEvent(notification: SnsNotification, account: AccountFacts): Record<string, unknown> {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: notification.subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: notification.messageId,
          TopicArn: notification.topicArn,
          Subject: notification.subject ?? null,
          Message: notification.message,
          Timestamp: notification.time.toISOString(),
          SignatureVersion: '1',
          // Nothing here is signed by SNS: the fields keep their shape for code that reads them.
          Signature: 'LOCAL',
          SigningCertUrl: `https://sns.${account.region}.amazonaws.com/SimpleNotificationService-local.pem`,
          UnsubscribeUrl: `https://sns.${account.region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(notification.subscriptionArn)}`,
          MessageAttributes: Object.fromEntries(
            Object.entries(notification.attributes).map(([name, attribute]) => [
              name,
              { Type: attribute.DataType, Value: attribute.StringValue ?? attribute.BinaryValue ?? '' },
            ]),
          ),
        },
      },
    ],
  };
}

export interface BusEntry {
  source: string;
  detailType: string;
  detail: unknown;
  resources?: string[];
  time?: Date;
  id?: string;
}

/** An EventBridge event as rules see it and as it reaches a Lambda target. */
export function eventBridgeEvent(entry: BusEntry, account: AccountFacts): Record<string, unknown> {
  return {
    version: '0',
    id: entry.id ?? randomUUID(),
    'detail-type': entry.detailType,
    source: entry.source,
    account: account.accountId,
    time: (entry.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: account.region,
    resources: entry.resources ?? [],
    detail: entry.detail,
  };
}

/** The event of a scheduled rule. */
export function scheduledEvent(ruleArn: string, time: Date, account: AccountFacts): Record<string, unknown> {
  return eventBridgeEvent({ source: 'aws.events', detailType: 'Scheduled Event', detail: {}, resources: [ruleArn], time }, account);
}

/**
 * Applies a rule target's input settings: a constant Input, an InputPath that picks a part of the
 * event, or an InputTransformer that fills a template from paths. Returns the payload's JSON text.
 */
export function targetInput(
  event: Record<string, unknown>,
  target: { input?: string; inputPath?: string; inputTransformer?: { inputPathsMap?: Record<string, string>; inputTemplate: string } },
): string {
  if (target.input !== undefined) return target.input;
  if (target.inputPath !== undefined) return JSON.stringify(jsonPath(event, target.inputPath) ?? null);
  if (target.inputTransformer) {
    const values = Object.fromEntries(
      Object.entries(target.inputTransformer.inputPathsMap ?? {}).map(([name, path]) => [name, jsonPath(event, path)]),
    );
    return fillTemplate(target.inputTransformer.inputTemplate, (name) => {
      if (name === 'aws.events.event' || name === 'aws.events.event.json') return { found: true, value: event };
      return Object.hasOwn(values, name) ? { found: true, value: values[name] } : { found: false, value: undefined };
    });
  }
  return JSON.stringify(event);
}

/**
 * Fills an InputTemplate's <name> placeholders. Inside a JSON string a value goes in as text
 * (escaped); elsewhere it goes in as JSON, as EventBridge fills them.
 */
function fillTemplate(template: string, lookup: (name: string) => { found: boolean; value: unknown }): string {
  let output = '';
  let inString = false;
  for (let index = 0; index < template.length; index += 1) {
    const character = template[index]!;
    if (character === '"' && template[index - 1] !== '\\') inString = !inString;
    const placeholder = character === '<' ? /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(index)) : null;
    const entry = placeholder ? lookup(placeholder[1]!) : undefined;
    if (!placeholder || !entry?.found) {
      output += character;
      continue;
    }
    const { value } = entry;
    if (inString) output += (typeof value === 'string' ? value : JSON.stringify(value ?? null)).replace(/["\\]/g, '\\$&');
    else output += JSON.stringify(value ?? null);
    index += placeholder[0].length - 1;
  }
  return output;
}

/** Reads a simple JSONPath ($, $.a.b, $.a[0]) out of a value. */
export function jsonPath(value: unknown, path: string): unknown {
  if (path === '$') return value;
  if (!path.startsWith('$.')) return undefined;
  let current: unknown = value;
  for (const part of path.slice(2).split('.')) {
    const indexed = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!indexed) return undefined;
    current = (current as Record<string, unknown> | undefined)?.[indexed[1]!];
    for (const index of indexed[2]!.match(/\d+/g) ?? []) current = (current as unknown[] | undefined)?.[Number(index)];
  }
  return current;
}
