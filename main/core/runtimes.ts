/** The Lambda runtime identifiers the workbench runs, and what each needs from an image. */
export type RuntimeFamily = 'nodejs' | 'python' | 'provided';

export interface RuntimeInfo {
  /** Lambda's identifier, as written in a template's Runtime property. */
  id: string;
  family: RuntimeFamily;
  /** Major (Node.js) or major.minor (Python) version the runtime promises; none for OS-only runtimes. */
  languageVersion?: string;
  /** The official AWS base image of this runtime, used when it is present locally. */
  officialImage: string;
  deprecated: boolean;
}

function nodejs(major: number, deprecated = false): RuntimeInfo {
  return {
    id: `nodejs${major}.x`,
    family: 'nodejs',
    languageVersion: String(major),
    officialImage: `public.ecr.aws/lambda/nodejs:${major}`,
    deprecated,
  };
}

function python(minor: number, deprecated = false): RuntimeInfo {
  return {
    id: `python3.${minor}`,
    family: 'python',
    languageVersion: `3.${minor}`,
    officialImage: `public.ecr.aws/lambda/python:3.${minor}`,
    deprecated,
  };
}

function provided(id: string, tag: string, deprecated = false): RuntimeInfo {
  return { id, family: 'provided', officialImage: `public.ecr.aws/lambda/provided:${tag}`, deprecated };
}

const RUNTIMES: readonly RuntimeInfo[] = [
  nodejs(16, true),
  nodejs(18, true),
  nodejs(20, true),
  nodejs(22),
  nodejs(24),
  python(8, true),
  python(9, true),
  python(10),
  python(11),
  python(12),
  python(13),
  python(14),
  provided('provided', 'alami', true),
  provided('provided.al2', 'al2'),
  provided('provided.al2023', 'al2023'),
];

const BY_ID = new Map(RUNTIMES.map((runtime) => [runtime.id, runtime]));

export function findRuntime(id: string): RuntimeInfo | undefined {
  return BY_ID.get(id);
}

export function supportedRuntimeIds(): string[] {
  return RUNTIMES.map((runtime) => runtime.id);
}

/** AWS_EXECUTION_ENV as Lambda sets it; custom runtimes get none. */
export function executionEnvFor(runtime: RuntimeInfo): string | undefined {
  return runtime.family === 'provided' ? undefined : `AWS_Lambda_${runtime.id}`;
}
