// Handles each message of the batch on its own, and reports the ones that failed so that only
// those return to the queue.
exports.handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    if (record.body.includes('fail')) {
      console.log(`Could not run "${record.body}" (receive ${record.attributes.ApproximateReceiveCount})`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    } else {
      console.log(`Ran "${record.body}"`);
    }
  }
  return { batchItemFailures };
};
