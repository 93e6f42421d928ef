import { randomUUID } from 'node:crypto';
import { destinationTarget } from '../core/arn.js';
import { WorkbenchError } from '../core/errors.js';
import type { AsyncQueueStore } from '../store/async-queue-store.js';
import type { MessagingStore } from '../store/messaging-store.js';

export interface DestinationServices {
  messaging: MessagingStore;
  asyncQueue: AsyncQueueStore;
  region: string;
  accountId: string;
  /** Called after a destination accepted a new asynchronous invocation, to start it. */
  onAsyncAccepted(): void;
}

/**
 * Delivers invocation records to OnSuccess and OnFailure destinations, and failed events to
 * dead-letter queues. Every delivery is a write to the workbench's own stores, so the caller can
 * make it part of the transaction that marks the event done.
 */
export class Destinations {
  constructor(private readonly services: DestinationServices) {}

  deliverRecord(arn: string, record: Record<string, unknown>, success: boolean, now: number): void {
    const target = destinationTarget(arn);
    const body = JSON.stringify(record);
    switch (target?.kind) {
      case 'sqs':
        this.services.messaging.sendMessage(target.name, body, {}, now);
        return;
      case 'sns':
        this.services.messaging.publish(target.name, body, undefined, {}, now);
        return;
      case 'eventbridge': {
        const requestContext = record.requestContext as { functionArn?: string } | undefined;
        this.services.messaging.putEvent(
          target.name,
          {
            version: '0',
            id: randomUUID(),
            'detail-type': `Lambda Function Invocation Result - ${success ? 'Success' : 'Failure'}`,
            source: 'lambda',
            account: this.services.accountId,
            time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            region: this.services.region,
            resources: requestContext?.functionArn ? [requestContext.functionArn] : [],
            detail: record,
          },
          now,
        );
        return;
      }
      case 'lambda':
        this.services.asyncQueue.accept({
          requestId: randomUUID(),
          functionName: target.name,
          ...(target.qualifier ? { qualifier: target.qualifier } : {}),
          payload: Buffer.from(body),
          acceptedMs: now,
        });
        this.services.onAsyncAccepted();
        return;
      default:
        throw new WorkbenchError(
          'InvalidDestination',
          'caller',
          `${arn} is not a destination the workbench can deliver to; use an SQS queue, SNS topic, EventBridge bus or Lambda function ARN.`,
        );
    }
  }

  /** Sends the original event to a dead-letter queue or topic, with Lambda's RequestID, ErrorCode and ErrorMessage attributes. */
  deliverDeadLetter(arn: string, payload: Buffer, requestId: string, errorMessage: string, now: number): void {
    const target = destinationTarget(arn);
    const attributes = {
      RequestID: { DataType: 'String' as const, StringValue: requestId },
      ErrorCode: { DataType: 'Number' as const, StringValue: '200' },
      ErrorMessage: { DataType: 'String' as const, StringValue: errorMessage.slice(0, 1024) },
    };
    const body = payload.toString('utf8');
    if (target?.kind === 'sqs') this.services.messaging.sendMessage(target.name, body, attributes, now);
    else if (target?.kind === 'sns') this.services.messaging.publish(target.name, body, undefined, attributes, now);
    else throw new WorkbenchError('InvalidDeadLetterTarget', 'caller', `${arn} is not an SQS queue or SNS topic ARN.`);
  }
}
