// Succeeds, returning what AWS's runtime client handed over.
exports.handler = async (event, context) => ({ ok: true, event, requestId: context.awsRequestId, arn: context.invokedFunctionArn });
