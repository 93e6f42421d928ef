// Returns who signed the request, as the function URL's authorizer reports it.
exports.handler = async (event) => {
  const iam = event.requestContext.authorizer?.iam ?? null;
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      path: event.rawPath,
      caller: iam && { accessKey: iam.accessKey, accountId: iam.accountId, userArn: iam.userArn },
    }),
  };
};
