import { z } from 'zod';
import type { ChannelName } from './channels.js';

const functionName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, hyphens or underscores');
const relativePath = z
  .string()
  .min(1)
  .max(1024)
  .refine((value) => !value.startsWith('/') && !value.split(/[\\/]/).includes('..'), 'must be a path inside the code folder');
const none = z.object({}).strict();
const resourceName = z.string().regex(/^[A-Za-z0-9._-]{1,256}$/, 'must be a bucket, queue, topic or bus name');

/**
 * Runtime checks of every channel's arguments, applied where they enter main. Domain limits
 * (memory, timeout) are checked by the services with Lambda's rules and messages.
 */
export const CHANNEL_SCHEMAS: { [K in ChannelName]: z.ZodType } = {
  'workspace.get': none,
  'functions.list': none,
  'functions.get': z.object({ name: functionName }).strict(),
  'functions.blueprints': none,
  'functions.create': z.object({ name: functionName, blueprint: z.string().regex(/^[a-z0-9-]{1,64}$/) }).strict(),
  // Numbers are checked by the editor with Lambda's ranges, so a blank field gets that message.
  'functions.updateGeneral': z
    .object({
      name: functionName,
      memoryMb: z.unknown(),
      timeoutSeconds: z.unknown(),
      ephemeralStorageMb: z.unknown(),
      description: z.string().max(10_000),
    })
    .strict(),
  'functions.updateEnvironment': z.object({ name: functionName, variables: z.record(z.string(), z.string()) }).strict(),
  'functions.updateTags': z.object({ name: functionName, tags: z.record(z.string(), z.string()) }).strict(),
  'functions.deploy': z.object({ name: functionName }).strict(),
  'functions.publishVersion': z.object({ name: functionName, description: z.string().max(256) }).strict(),
  'functions.updateLayers': z.object({ name: functionName, layers: z.array(z.string().min(1).max(2048)).max(20) }).strict(),
  'functions.updateFileSystems': z
    .object({
      name: functionName,
      fileSystems: z.array(z.object({ arn: z.string().min(1).max(2048), localMountPath: z.string().min(1).max(160) }).strict()).max(5),
    })
    .strict(),
  'functions.setCodeSigning': z.object({ name: functionName, configArn: z.string().min(1).max(200).nullable() }).strict(),
  'functions.buildImage': z.object({ name: functionName }).strict(),
  'images.buildLog': z.object({ name: functionName }).strict(),
  // A 50 MB .zip, base64-encoded, is about 70 MB of text.
  'code.importZip': z.object({ name: functionName, zipBase64: z.string().max(71 * 1024 * 1024) }).strict(),
  'code.list': z.object({ name: functionName }).strict(),
  'code.read': z.object({ name: functionName, path: relativePath }).strict(),
  'code.write': z.object({ name: functionName, path: relativePath, content: z.string().max(50 * 1024 * 1024) }).strict(),
  'events.templates': none,
  'events.list': z.object({ name: functionName }).strict(),
  'events.save': z
    .object({
      name: functionName,
      eventName: z.string().regex(/^[A-Za-z0-9_. -]{1,100}$/, 'must be 1 to 100 letters, digits, spaces, dots, hyphens or underscores'),
      json: z.string().max(6 * 1024 * 1024),
    })
    .strict(),
  'events.delete': z.object({ name: functionName, eventName: z.string().min(1).max(100) }).strict(),
  'invoke.run': z
    .object({ name: functionName, payload: z.string().max(7 * 1024 * 1024), qualifier: z.string().max(128).optional() })
    .strict(),
  'logs.streams': z.object({ name: functionName }).strict(),
  'logs.query': z
    .object({
      name: functionName,
      stream: z.string().max(512).optional(),
      filter: z.string().max(1024).optional(),
      afterId: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(200_000).optional(),
    })
    .strict(),
  'metrics.get': z.object({ name: functionName, minutes: z.number().int().min(1).max(10_080) }).strict(),
  'sources.overview': none,
  'sources.objects': z.object({ bucket: resourceName }).strict(),
  'sources.putObject': z
    .object({ bucket: resourceName, key: z.string().min(1).max(1024), base64: z.string().max(71 * 1024 * 1024) })
    .strict(),
  'sources.deleteObject': z.object({ bucket: resourceName, key: z.string().min(1).max(1024) }).strict(),
  'sources.messages': z.object({ queue: resourceName }).strict(),
  'sources.sendMessage': z
    .object({
      queue: resourceName,
      body: z
        .string()
        .min(1)
        .max(256 * 1024),
      groupId: z.string().min(1).max(128).optional(),
      deduplicationId: z.string().min(1).max(128).optional(),
    })
    .strict(),
  'sources.publish': z
    .object({
      topic: resourceName,
      message: z
        .string()
        .min(1)
        .max(256 * 1024),
      subject: z.string().max(100).optional(),
    })
    .strict(),
  'sources.putEvent': z
    .object({
      bus: resourceName,
      source: z.string().min(1).max(256),
      detailType: z.string().min(1).max(128),
      detail: z.string().max(256 * 1024),
    })
    .strict(),
  'canvas.graph': none,
  'canvas.counts': none,
  'wiring.addTrigger': z
    .object({
      functionName,
      kind: z.enum(['S3', 'SQS', 'SNS', 'EventBridgeRule', 'Schedule', 'HttpApi', 'FunctionUrl']),
      source: z.string().min(1).max(256).nullable(),
      newSourceName: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9]{0,62}$/, 'must be a logical id: letters and digits, starting with a letter')
        .nullable(),
      options: z.record(z.string(), z.union([z.string().max(10_000), z.number(), z.boolean()])),
    })
    .strict(),
  'wiring.remove': z
    .object({
      ref: z.discriminatedUnion('kind', [
        z
          .object({ kind: z.literal('event'), functionLogicalId: z.string().min(1).max(256), eventName: z.string().min(1).max(256) })
          .strict(),
        z.object({ kind: z.literal('resource'), logicalId: z.string().min(1).max(256) }).strict(),
        z.object({ kind: z.literal('url'), functionName }).strict(),
        z.object({ kind: z.literal('destination'), functionName, condition: z.enum(['OnSuccess', 'OnFailure']) }).strict(),
        z.object({ kind: z.literal('deadLetterQueue'), functionName }).strict(),
      ]),
    })
    .strict(),
  'wiring.setDestination': z
    .object({
      functionName,
      condition: z.enum(['OnSuccess', 'OnFailure', 'DeadLetterQueue']),
      target: z.string().min(1).max(256).nullable(),
    })
    .strict(),
  'wiring.addResource': z
    .object({
      type: z.enum(['bucket', 'queue', 'topic', 'bus']),
      name: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,62}$/, 'must be letters and digits, starting with a letter'),
    })
    .strict(),
  'labs.list': none,
  'labs.open': z
    .object({ id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a lab id such as s3-to-lambda'), reset: z.boolean().optional() })
    .strict(),
  'workspace.openHome': none,
  'workspace.guide': none,
};
