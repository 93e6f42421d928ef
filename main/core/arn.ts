/** The parts of an ARN the workbench routes by: service, region, account and resource. */
export interface ParsedArn {
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return { service: parts[2]!, region: parts[3]!, accountId: parts[4]!, resource: parts.slice(5).join(':') };
}

/** The local resource that a destination or dead-letter ARN leads to. */
export type DestinationTarget =
  | { kind: 'sqs'; name: string }
  | { kind: 'sns'; name: string }
  | { kind: 'eventbridge'; name: string }
  | { kind: 'lambda'; name: string; qualifier?: string };

export function destinationTarget(arn: string): DestinationTarget | undefined {
  const parsed = parseArn(arn);
  if (!parsed) return undefined;
  switch (parsed.service) {
    case 'sqs':
      return { kind: 'sqs', name: parsed.resource };
    case 'sns':
      return { kind: 'sns', name: parsed.resource };
    case 'events':
      return parsed.resource.startsWith('event-bus/')
        ? { kind: 'eventbridge', name: parsed.resource.slice('event-bus/'.length) }
        : undefined;
    case 'lambda': {
      const [type, name, qualifier] = parsed.resource.split(':');
      if (type !== 'function' || !name) return undefined;
      return { kind: 'lambda', name, ...(qualifier ? { qualifier } : {}) };
    }
    default:
      return undefined;
  }
}
