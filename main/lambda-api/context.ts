import { functionArn } from '../core/lambda-format.js';
import type { FunctionConfig } from '../core/template/function-config.js';
import type { LambdaEngine } from '../engine/engine.js';
import type { Logger } from '../logging.js';
import { LambdaApiError } from './errors.js';
import { parseFunctionName, type FunctionReference } from './function-name.js';

export interface LambdaApiContext {
  engine: LambdaEngine;
  logger: Logger;
}

export function resolveFunction(
  context: LambdaApiContext,
  match: RegExpExecArray,
  url: URL,
): { reference: FunctionReference; fn: FunctionConfig } {
  const reference = parseFunctionName(decodeURIComponent(match[1]!), url.searchParams.get('Qualifier') ?? undefined);
  const fn = context.engine.findFunction(reference.name);
  const { region, accountId } = context.engine.account;
  // Only $LATEST exists until versions are published.
  if (!fn || (reference.qualifier && reference.qualifier !== '$LATEST')) {
    throw new LambdaApiError(
      404,
      'ResourceNotFoundException',
      `Function not found: ${functionArn(region, accountId, reference.name, reference.qualifier)}`,
    );
  }
  return { reference, fn };
}
