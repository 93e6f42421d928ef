/**
 * The data that crosses between the main process and the renderer. Plain JSON only: these types
 * are shared by the Electron preload, the browser bridge and the renderer.
 */
export interface WorkspaceInfo {
  templatePath: string;
  templateDir: string;
  name: string;
  region: string;
  accountId: string;
  timeScale: number;
  accountConcurrency: number;
  warnings: string[];
  /** Set when the template on disk is invalid; the last valid version stays in use. */
  invalidTemplate?: string;
  /** The Lambda API's address while the workspace's service runs. */
  lambdaApi: string | null;
  /** The workspace the console started with, when another (a lab) is open now. */
  homeTemplate: string | null;
}

export type FunctionState = 'Pending' | 'Active' | 'Failed';

export interface FunctionSummary {
  name: string;
  logicalId: string;
  runtime: string;
  packageType: 'Zip' | 'Image';
  memoryMb: number;
  timeoutSeconds: number;
  description: string;
  /** ISO time of the last change to the template or the function's code. */
  lastModified: string;
  state: FunctionState;
  stateReason?: string;
}

export interface LayerInfo {
  order: number;
  arn: string;
  name: string;
  version: number | null;
  sizeBytes: number | null;
}

export interface TriggerInfo {
  /** SAM event name, such as MyQueueEvent. */
  name: string;
  /** SAM event type: SQS, S3, SNS, EventBridgeRule, Schedule, Api, HttpApi... */
  type: string;
  source: string;
}

export interface DestinationInfo {
  condition: 'OnSuccess' | 'OnFailure' | 'DeadLetter';
  arn: string;
  kind: string;
}

export interface CodeSigningInfo {
  configArn: string;
  policy: 'Warn' | 'Enforce';
  allowedPublishers: string[];
  lastCheck?: { checkedAt: string; trusted: boolean; message: string };
}

export interface FunctionDetail extends FunctionSummary {
  arn: string;
  handler: string | null;
  architecture: string;
  ephemeralStorageMb: number;
  /** The function's own variables; those it inherits from Globals are in inheritedEnvironment. */
  environment: Record<string, string>;
  inheritedEnvironment: Record<string, string>;
  tags: Record<string, string>;
  inheritedTags: Record<string, string>;
  layers: LayerInfo[];
  triggers: TriggerInfo[];
  destinations: DestinationInfo[];
  reservedConcurrency: number | null;
  provisioned: Array<{ qualifier: string; requested: number; status: string; available: number }>;
  asyncConfig: { maximumRetryAttempts: number; maximumEventAgeSeconds: number };
  codeSigning: CodeSigningInfo | null;
  fileSystems: Array<{ arn: string; localMountPath: string; hostPath: string }>;
  /** Sizes against Lambda's limits: the .zip package, and the code unzipped with its layers. */
  sizes: { packageBytes: number; packageLimitBytes: number; unzippedBytes: number | null; unzippedLimitBytes: number };
  /** The template's layers, EFS access points and code signing configurations a function can use. */
  choices: {
    layers: Array<{ name: string; arn: string; version: number; logicalId: string; compatibleRuntimes: string[] | null }>;
    accessPoints: Array<{ arn: string; logicalId: string; folder: string }>;
    codeSigningConfigs: Array<{ arn: string; logicalId: string; policy: string; description: string }>;
  };
  /** The image of an Image function: the local reference, its digest once present, and whether the workbench builds it. */
  image: { reference: string; digest: string | null; built: boolean } | null;
  /** The code folder the Code tab edits; null for .zip, inline and image packages. */
  codeFolder: string | null;
  codeKind: 'folder' | 'zip' | 'inline' | 'image';
  codeSha256: string;
  codeSize: number;
  role: string;
  aliases: Array<{ name: string; functionVersion: string; weights: Record<string, number> | null; description: string }>;
  versions: Array<{ version: string; description: string; createdAt: string; codeSha256: string }>;
  /** Properties as the template writes them, for pages that only show them. */
  templateProperties: Record<string, unknown>;
  /** The YAML text of each of the function's own properties, tags such as !Ref included. */
  templateSource: Record<string, string>;
}

export interface CodeFile {
  path: string;
  kind: 'file' | 'folder';
  sizeBytes: number;
}

export interface SavedEvent {
  name: string;
  json: string;
}

export interface EventTemplate {
  id: string;
  title: string;
  json: string;
}

export interface InvokeOutcome {
  requestId: string;
  status: 'success' | 'error' | 'timeout';
  /** The response or error document as text. */
  response: string;
  functionError: string | null;
  executedVersion: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs: number | null;
  log: string;
}

export interface LogStreamInfo {
  name: string;
  createdAt: string;
  lastEventAt: string | null;
}

export interface LogLine {
  id: number;
  timestamp: string;
  stream: string;
  message: string;
  requestId: string | null;
  kind: 'function' | 'platform';
}

export interface MetricPoint {
  minute: string;
  invocations: number;
  errors: number;
  throttles: number;
  durationAverageMs: number;
  durationMaxMs: number;
}

export interface Blueprint {
  id: string;
  title: string;
  description: string;
  runtime: string;
}

/** The workspace's event sources, for their pages and the canvas's side panel. */
export interface SourcesOverview {
  buckets: Array<{ name: string; logicalId: string; objects: number; folder: string }>;
  queues: Array<{
    name: string;
    logicalId: string;
    arn: string;
    fifo: boolean;
    contentBasedDeduplication: boolean;
    visible: number;
    inFlight: number;
    deadLetterQueue: string | null;
  }>;
  topics: Array<{ name: string; logicalId: string; arn: string; messages: number; subscribers: string[] }>;
  buses: Array<{ name: string; events: number }>;
  rules: Array<{ name: string; bus: string; schedule: string | null; pattern: string | null; targets: string[]; enabled: boolean }>;
  endpoints: Array<{ kind: string; name: string; url: string }>;
  /** The routes of SAM's Api and HttpApi events, served at the api endpoint. */
  routes: Array<{ method: string; path: string; functionName: string; kind: string }>;
  /** The local credentials that sign requests to AWS_IAM function URLs. */
  signing: { accessKeyId: string; secretAccessKey: string; region: string };
}

export type CanvasNodeKind = 'function' | 'bucket' | 'queue' | 'topic' | 'bus' | 'rule' | 'url' | 'api' | 'listener' | 'layer';

export interface CanvasNode {
  /** kind:name, such as fn:Orders or queue:Jobs. */
  id: string;
  kind: CanvasNodeKind;
  label: string;
  detail: string;
  /** The resource's logical id in the template, where it has one. */
  logicalId: string | null;
}

/** The wiring an edge stands for, which removing the edge removes: an event, a resource, a URL or a destination. */
export type WiringRef =
  | { kind: 'event'; functionLogicalId: string; eventName: string }
  | { kind: 'resource'; logicalId: string }
  | { kind: 'url'; functionName: string }
  | { kind: 'destination'; functionName: string; condition: 'OnSuccess' | 'OnFailure' }
  | { kind: 'deadLetterQueue'; functionName: string };

export interface CanvasEdge {
  id: string;
  source: string;
  target: string;
  kind: 'trigger' | 'destination' | 'redrive' | 'layer';
  label: string;
  /** Set when the edge can be removed from the canvas. */
  ref: WiringRef | null;
}

export interface CanvasGraph {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}

export type TriggerKind = 'S3' | 'SQS' | 'SNS' | 'EventBridgeRule' | 'Schedule' | 'HttpApi' | 'FunctionUrl';

export interface Lab {
  id: string;
  title: string;
  summary: string;
}
