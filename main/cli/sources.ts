import { readFileSync } from 'node:fs';
import path from 'node:path';
import { workspaceDataDir } from '../config/paths.js';
import { WorkbenchError } from '../core/errors.js';
import { eventBridgeEvent } from '../core/triggers/event-shapes.js';
import { BucketFolders } from '../engine/event-sources/buckets.js';
import type { Logger } from '../logging.js';
import { openWorkbenchDatabase } from '../store/database.js';
import { MessagingStore, type MessageAttributes } from '../store/messaging-store.js';
import { accountSettings, openWorkspace, type WorkspaceOptions } from './workbench.js';

/**
 * CLI commands that act on the workspace's event sources: put and remove objects, send messages,
 * publish to topics and put events. They write to the workspace's store and bucket folders; a
 * running `serve` or console notices and delivers them to the functions.
 */

function withStore<T>(template: string, use: (store: MessagingStore) => T): T {
  const database = openWorkbenchDatabase(path.join(workspaceDataDir(path.resolve(template)), 'workbench.sqlite'));
  try {
    return use(new MessagingStore(database));
  } finally {
    database.close();
  }
}

function bucketsOf(options: WorkspaceOptions, logger: Logger): { folders: BucketFolders; names: string[] } {
  const workspace = openWorkspace(options, logger);
  const names = workspace.triggers.buckets.map((bucket) => bucket.name);
  return { folders: new BucketFolders(path.join(workspaceDataDir(workspace.templatePath), 'buckets'), () => undefined, logger), names };
}

function requireBucket(bucket: string, names: string[]): void {
  if (!names.includes(bucket)) {
    throw new WorkbenchError(
      'BucketNotFound',
      'caller',
      `Bucket ${bucket} is not in the template; buckets: ${names.join(', ') || 'none'}.`,
    );
  }
}

export function putObject(bucket: string, key: string, file: string, options: WorkspaceOptions, logger: Logger): void {
  const { folders, names } = bucketsOf(options, logger);
  requireBucket(bucket, names);
  folders.putObject(bucket, key, readFileSync(file));
  logger.info(`Put s3://${bucket}/${key} (${readFileSync(file).length} bytes) into ${folders.folderOf(bucket)}`);
}

export function removeObject(bucket: string, key: string, options: WorkspaceOptions, logger: Logger): void {
  const { folders, names } = bucketsOf(options, logger);
  requireBucket(bucket, names);
  if (!folders.deleteObject(bucket, key)) throw new WorkbenchError('NoSuchKey', 'caller', `s3://${bucket}/${key} does not exist.`);
  logger.info(`Removed s3://${bucket}/${key}`);
}

export function listObjects(bucket: string, options: WorkspaceOptions, logger: Logger): void {
  const { folders, names } = bucketsOf(options, logger);
  requireBucket(bucket, names);
  process.stdout.write(
    `${JSON.stringify({ Contents: folders.listObjects(bucket).map((object) => ({ Key: object.key, Size: object.size, ETag: `"${object.eTag}"`, LastModified: object.lastModified })) }, null, 2)}\n`,
  );
}

/** Parses Name=Value pairs into SQS or SNS string attributes. */
function attributesOf(pairs: string[] | undefined): MessageAttributes {
  const attributes: MessageAttributes = {};
  for (const pair of pairs ?? []) {
    const equals = pair.indexOf('=');
    if (equals <= 0)
      throw new WorkbenchError('InvalidAttribute', 'caller', `Attribute ${JSON.stringify(pair)} must be written Name=Value.`);
    attributes[pair.slice(0, equals)] = { DataType: 'String', StringValue: pair.slice(equals + 1) };
  }
  return attributes;
}

export function sendMessage(
  queue: string,
  body: string,
  options: WorkspaceOptions & { groupId?: string; deduplicationId?: string; attribute?: string[] },
): void {
  if (queue.endsWith('.fifo') && !options.groupId)
    throw new WorkbenchError('InvalidParameter', 'caller', `Queue ${queue} is a FIFO queue: give --group-id.`);
  const id = withStore(options.template, (store) =>
    store.sendMessage(queue, body, attributesOf(options.attribute), Date.now(), {
      ...(options.groupId ? { groupId: options.groupId } : {}),
      ...(options.deduplicationId ? { deduplicationId: options.deduplicationId } : {}),
    }),
  );
  process.stdout.write(`${JSON.stringify({ MessageId: id })}\n`);
}

export function publishMessage(
  topic: string,
  message: string,
  options: WorkspaceOptions & { subject?: string; attribute?: string[] },
): void {
  const id = withStore(options.template, (store) => store.publish(topic, message, options.subject, attributesOf(options.attribute)));
  process.stdout.write(`${JSON.stringify({ MessageId: id })}\n`);
}

export function putEvent(options: WorkspaceOptions & { source: string; detailType: string; detail: string; bus: string }): void {
  let detail: unknown;
  try {
    detail = JSON.parse(options.detail);
  } catch (error) {
    throw new WorkbenchError('InvalidDetail', 'caller', `--detail is not JSON: ${(error as Error).message}`);
  }
  const account = accountSettings(options);
  const event = eventBridgeEvent(
    { source: options.source, detailType: options.detailType, detail },
    { region: account.region, accountId: account.accountId },
  );
  const id = withStore(options.template, (store) => store.putEvent(options.bus, event));
  process.stdout.write(`${JSON.stringify({ Entries: [{ EventId: id }], FailedEntryCount: 0 })}\n`);
}
