import type {
  CanvasGraph,
  Lab,
  SourcesOverview,
  TriggerKind,
  WiringRef,
  Blueprint,
  CodeFile,
  EventTemplate,
  FunctionDetail,
  FunctionSummary,
  InvokeOutcome,
  LogLine,
  LogStreamInfo,
  MetricPoint,
  SavedEvent,
  WorkspaceInfo,
} from './types.js';

/**
 * Every request the renderer can make of the main process: its arguments and its result. The
 * Electron preload, the browser bridge and the renderer's client all follow this one map, and
 * main validates the arguments of each against the schema of the same name (schemas.ts).
 */
export interface Channels {
  'workspace.get': { args: Record<string, never>; result: WorkspaceInfo };
  'functions.list': { args: Record<string, never>; result: FunctionSummary[] };
  'functions.get': { args: { name: string }; result: FunctionDetail };
  'functions.blueprints': { args: Record<string, never>; result: Blueprint[] };
  'functions.create': { args: { name: string; blueprint: string }; result: FunctionSummary };
  'functions.updateGeneral': {
    args: { name: string; memoryMb: number; timeoutSeconds: number; ephemeralStorageMb: number; description: string };
    result: FunctionDetail;
  };
  'functions.updateEnvironment': { args: { name: string; variables: Record<string, string> }; result: FunctionDetail };
  'functions.updateTags': { args: { name: string; tags: Record<string, string> }; result: FunctionDetail };
  'functions.deploy': { args: { name: string }; result: { deployedAt: string } };
  'functions.publishVersion': { args: { name: string; description: string }; result: FunctionDetail };
  'functions.updateLayers': { args: { name: string; layers: string[] }; result: FunctionDetail };
  'functions.updateFileSystems': {
    args: { name: string; fileSystems: Array<{ arn: string; localMountPath: string }> };
    result: FunctionDetail;
  };
  'functions.setCodeSigning': { args: { name: string; configArn: string | null }; result: FunctionDetail };
  'functions.buildImage': { args: { name: string }; result: { reference: string; digest: string } };
  'images.buildLog': { args: { name: string }; result: { lines: string[] } };
  'code.importZip': { args: { name: string; zipBase64: string }; result: { relativePath: string; sizeBytes: number } };
  'code.list': { args: { name: string }; result: CodeFile[] };
  'code.read': { args: { name: string; path: string }; result: { content: string } };
  'code.write': { args: { name: string; path: string; content: string }; result: { savedAt: string } };
  'events.templates': { args: Record<string, never>; result: EventTemplate[] };
  'events.list': { args: { name: string }; result: SavedEvent[] };
  'events.save': { args: { name: string; eventName: string; json: string }; result: SavedEvent[] };
  'events.delete': { args: { name: string; eventName: string }; result: SavedEvent[] };
  'invoke.run': { args: { name: string; payload: string; qualifier?: string }; result: InvokeOutcome };
  'logs.streams': { args: { name: string }; result: LogStreamInfo[] };
  'logs.query': { args: { name: string; stream?: string; filter?: string; afterId?: number; limit?: number }; result: LogLine[] };
  'metrics.get': { args: { name: string; minutes: number }; result: MetricPoint[] };
  'sources.overview': { args: Record<string, never>; result: SourcesOverview };
  'sources.objects': { args: { bucket: string }; result: Array<{ key: string; size: number; eTag: string; lastModified: string }> };
  'sources.putObject': { args: { bucket: string; key: string; base64: string }; result: { key: string } };
  'sources.deleteObject': { args: { bucket: string; key: string }; result: { key: string } };
  'sources.messages': { args: { queue: string }; result: Array<{ messageId: string; body: string; receiveCount: number; sentAt: string }> };
  'sources.sendMessage': {
    args: { queue: string; body: string; groupId?: string; deduplicationId?: string };
    result: { messageId: string };
  };
  'sources.publish': { args: { topic: string; message: string; subject?: string }; result: { messageId: string } };
  'sources.putEvent': { args: { bus: string; source: string; detailType: string; detail: string }; result: { eventId: string } };
  'canvas.graph': { args: Record<string, never>; result: CanvasGraph };
  /** Events per canvas edge (`source->target`) since the workspace opened. */
  'canvas.counts': { args: Record<string, never>; result: Record<string, number> };
  'wiring.addTrigger': {
    args: {
      functionName: string;
      kind: TriggerKind;
      source: string | null;
      newSourceName: string | null;
      options: Record<string, string | number | boolean>;
    };
    result: { eventName: string };
  };
  'wiring.remove': { args: { ref: WiringRef }; result: { removed: true } };
  'wiring.setDestination': {
    args: { functionName: string; condition: 'OnSuccess' | 'OnFailure' | 'DeadLetterQueue'; target: string | null };
    result: { set: true };
  };
  'wiring.addResource': { args: { type: 'bucket' | 'queue' | 'topic' | 'bus'; name: string }; result: { logicalId: string } };
  'labs.list': { args: Record<string, never>; result: Lab[] };
  'labs.open': { args: { id: string; reset?: boolean }; result: { templatePath: string } };
  /** Opens the workspace the console started with again, after a lab. */
  'workspace.openHome': { args: Record<string, never>; result: { templatePath: string } };
  'workspace.guide': { args: Record<string, never>; result: { markdown: string | null } };
}

export type ChannelName = keyof Channels;
export type ChannelArgs<K extends ChannelName> = Channels[K]['args'];
export type ChannelResult<K extends ChannelName> = Channels[K]['result'];

/** Events main pushes to the renderer, with their payloads. */
export interface PushEvents {
  /** The template changed on disk or through an edit. */
  'workspace.changed': { at: string };
  'workspace.invalid': { message: string };
  /** New log lines of a function, as they are written. */
  'logs.appended': { functionName: string; lines: LogLine[] };
  /** An invocation finished (from any caller), for live counters. */
  'invocation.finished': { functionName: string; requestId: string; status: string; durationMs: number };
  /** Long work in progress: image builds, container starts. */
  progress: { message: string; functionName?: string };
  /** An event source handed events to a function (for the canvas's counters and animations). */
  /** Events that reached a function: `source` is the canvas node they came from (bucket:Uploads, queue:Jobs). */
  'trigger.delivered': { kind: string; source: string; functionName: string; count: number };
  /** An asynchronous invocation's outcome that reached a destination: `target` is its canvas node. */
  'destination.delivered': { functionName: string; target: string; condition: 'OnSuccess' | 'OnFailure' | 'DeadLetter' };
  /** Raised by the renderer's own client when its link to main drops or comes back. */
  connection: { connected: boolean };
}

export type PushEventName = keyof PushEvents;

/** An error that crossed the process boundary: a stable code, a source and a message. */
export interface ContractError {
  code: string;
  source: 'caller' | 'function' | 'platform';
  message: string;
  /** For invalid input: the field at fault. */
  field?: string;
}

/** Either a result or an error; the renderer's client turns the error back into an exception. */
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ContractError };
