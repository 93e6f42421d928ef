// Greets the caller by name and reports where it ran.
export const handler = async (event, context) => {
  const name = typeof event?.name === 'string' ? event.name : 'world';
  console.log(`Greeting ${name}`);
  return {
    message: `${process.env.GREETING}, ${name}!`,
    language: process.env.FUNCTION_LANGUAGE,
    runtime: process.version,
    functionName: context.functionName,
    requestId: context.awsRequestId,
  };
};
