import { readFileSync } from 'node:fs';
import path from 'node:path';
import { workspaceDataDir } from '../config/paths.js';
import { errorMessage, WorkbenchError } from '../core/errors.js';
import { eventBridgeEvent } from '../core/triggers/event-shapes.js';
import { fifoSendOptions, queueSettings } from '../core/triggers/trigger-config.js';
import { BucketFolders } from '../engine/event-sources/buckets.js';
import type { Logger } from '../logging.js';
import type { MessageAttributes } from '../store/messaging-store.js';
import { withStore } from './messaging.js';
import { accountSettings, openWorkspace, type WorkspaceOptions } from './workbench.js';

/**
 * CLI commands that act on the workspace's event sources: put and remove objects, send messages,
 * publish to topics and put events. They write to the workspace's store and bucket folders; a
 * running `serve` or console notices and delivers them to the functions.
 */

interface NamedSource {
  name: string;
  logicalId: string;
}

/**
 * Resolves a bucket, queue, topic or bus named on the command line, by its name or by the logical
 * id of its resource, so that a typo fails instead of creating a new, unread queue.
 */
function resolveSource(kind: string, nameOrLogicalId: string, known: NamedSource[]): string {
  const match = known.find((source) => source.name === nameOrLogicalId) ?? known.find((source) => source.logicalId === nameOrLogicalId);
  if (match) return match.name;
  const names = [...new Set(known.map((source) => source.name))];
  const plural = `${kind.toLowerCase()}${kind.endsWith('s') ? 'es' : 's'}`;
  throw new WorkbenchError(
    'NotFound',
    'caller',
    `${kind} ${nameOrLogicalId} is not in the template; ${plural}: ${names.join(', ') || 'none'}.`,
  );
}

function bucketsOf(options: WorkspaceOptions, logger: Logger): { folders: BucketFolders; known: NamedSource[] } {
  const workspace = openWorkspace(options, logger);
  const known = workspace.triggers.buckets.map(({ name, logicalId }) => ({ name, logicalId }));
  return { folders: new BucketFolders(path.join(workspaceDataDir(workspace.templatePath), 'buckets'), () => undefined, logger), known };
}

export function putObject(bucket: string, key: string, file: string, options: WorkspaceOptions, logger: Logger): void {
  const { folders, known } = bucketsOf(options, logger);
  bucket = resolveSource('Bucket', bucket, known);
  folders.putObject(bucket, key, readFileSync(file));
  logger.info(`Put s3://${bucket}/${key} (${readFileSync(file).length} bytes) into ${folders.folderOf(bucket)}`);
}

export function removeObject(bucket: string, key: string, options: WorkspaceOptions, logger: Logger): void {
  const { folders, known } = bucketsOf(options, logger);
  bucket = resolveSource('Bucket', bucket, known);
  if (!folders.deleteObject(bucket, key)) throw new WorkbenchError('NoSuchKey', 'caller', `s3://${bucket}/${key} does not exist.`);
  logger.info(`Removed s3://${bucket}/${key}`);
}

export function listObjects(bucket: string, options: WorkspaceOptions, logger: Logger): void {
  const { folders, known } = bucketsOf(options, logger);
  bucket = resolveSource('Bucket', bucket, known);
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
  logger: Logger,
): void {
  const workspace = openWorkspace(options, logger);
  // Queues that only destinations name (no resource in the template) exist in the store.
  const stored = withStore(options, (store) => store.listQueues().map(({ name }) => ({ name, logicalId: name })));
  queue = resolveSource('Queue', queue, [...workspace.triggers.queues.map(({ name, logicalId }) => ({ name, logicalId })), ...stored]);
  const config = queueSettings(queue, workspace.triggers.queues);
  let fifo: { groupId?: string; deduplicationId?: string };
  try {
    fifo = fifoSendOptions(config, body, { groupId: options.groupId, deduplicationId: options.deduplicationId });
  } catch (error) {
    throw new WorkbenchError('InvalidParameterValue', 'caller', `${errorMessage(error)} (--group-id, --deduplication-id)`);
  }
  const id = withStore(options, (store) => store.sendMessage(queue, body, attributesOf(options.attribute), Date.now(), fifo));
  process.stdout.write(`${JSON.stringify({ MessageId: id })}\n`);
}

export function publishMessage(
  topic: string,
  message: string,
  options: WorkspaceOptions & { subject?: string; attribute?: string[] },
  logger: Logger,
): void {
  const workspace = openWorkspace(options, logger);
  const stored = withStore(options, (store) => store.listTopics().map(({ name }) => ({ name, logicalId: name })));
  topic = resolveSource('Topic', topic, [...workspace.triggers.topics.map(({ name, logicalId }) => ({ name, logicalId })), ...stored]);
  const id = withStore(options, (store) => store.publish(topic, message, options.subject, attributesOf(options.attribute)));
  process.stdout.write(`${JSON.stringify({ MessageId: id })}\n`);
}

export function putEvent(
  options: WorkspaceOptions & { source: string; detailType: string; detail: string; bus: string },
  logger: Logger,
): void {
  const workspace = openWorkspace(options, logger);
  const bus = resolveSource(
    'Event bus',
    options.bus,
    workspace.triggers.buses.map((name) => ({ name, logicalId: name })),
  );
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
  const id = withStore(options, (store) => store.putEvent(bus, event));
  process.stdout.write(`${JSON.stringify({ Entries: [{ EventId: id }], FailedEntryCount: 0 })}\n`);
}
