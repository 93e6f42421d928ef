import { LambdaApiError } from './errors.js';

/**
 * Lambda's pattern for the FunctionName parameter: a name, a partial ARN (account:function:name)
 * or a full ARN, each optionally followed by :qualifier.
 */
const FUNCTION_NAME =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?(?<region>[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(?<account>\d{12}:)?(function:)?(?<name>[a-zA-Z0-9-_.]+)(:(?<qualifier>\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?$/;

export interface FunctionReference {
  name: string;
  qualifier?: string;
}

export function parseFunctionName(raw: string, queryQualifier: string | undefined): FunctionReference {
  if (raw.length < 1 || raw.length > 256) {
    throw new LambdaApiError(
      400,
      'ValidationException',
      `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
  }
  const match = FUNCTION_NAME.exec(raw);
  if (!match?.groups?.name) {
    throw new LambdaApiError(
      400,
      'ValidationException',
      `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME.source}`,
    );
  }
  const derived = match.groups.qualifier;
  if (derived && queryQualifier && derived !== queryQualifier) {
    throw new LambdaApiError(
      400,
      'InvalidParameterValueException',
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  const qualifier = derived ?? queryQualifier;
  return { name: match.groups.name, ...(qualifier ? { qualifier } : {}) };
}
