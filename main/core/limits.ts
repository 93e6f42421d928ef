/** Lambda's quotas, as the AWS Lambda developer guide lists them ("Lambda quotas"). */
export const LIMITS = {
  memoryMb: { min: 128, max: 10_240, default: 128 },
  timeoutSeconds: { min: 1, max: 900, default: 3 },
  ephemeralStorageMb: { min: 512, max: 10_240, default: 512 },
  /** Total size of all environment variable keys and values. */
  environmentBytes: 4 * 1024,
  descriptionChars: 256,
  functionNameChars: 64,
  handlerChars: 128,
  /** Synchronous invocation request payload. */
  syncRequestBytes: 6 * 1024 * 1024,
  /**
   * Synchronous response payload. Lambda accepts 100 bytes more than the request limit
   * (6,291,556 bytes), and its error messages quote this figure.
   */
  syncResponseBytes: 6 * 1024 * 1024 + 100,
  /** Asynchronous (Event) invocation payload. */
  asyncRequestBytes: 1024 * 1024,
  /** Memory that buys one full vCPU. */
  memoryPerVcpuMb: 1_769,
  /** Processes and threads per execution environment. */
  processes: 1_024,
  /** File descriptors per execution environment. */
  openFiles: 1_024,
  /** Init phase limit for on-demand environments. */
  initTimeoutMs: 10_000,
  /** Function code and all its layers, unzipped. */
  unzippedCodeBytes: 262_144_000,
  /** A .zip uploaded directly (not through S3). */
  zippedUploadBytes: 52_428_800,
  /** X-Amz-Log-Result carries the last 4 KB of the invocation's log. */
  tailLogBytes: 4 * 1024,
} as const;

/**
 * Environment variables that Lambda sets itself and refuses in a function's configuration.
 */
export const RESERVED_ENVIRONMENT_VARIABLES: ReadonlySet<string> = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);
