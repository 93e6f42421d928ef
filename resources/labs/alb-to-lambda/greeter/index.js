// Greets everyone named in the query string. With multi-value headers on, repeated values arrive as lists.
exports.handler = async (event) => {
  const names = event.multiValueQueryStringParameters?.name ?? [event.queryStringParameters?.name ?? 'world'];
  const teams = event.multiValueHeaders?.['x-team'] ?? [event.headers?.['x-team']].filter(Boolean);
  const body = `Hello, ${names.map(decodeURIComponent).join(' and ')}${teams.length > 0 ? ` of team ${teams.join(', ')}` : ''}!\n`;
  const response = { statusCode: 200, statusDescription: '200 OK', isBase64Encoded: false, body };
  if (event.multiValueHeaders) {
    response.multiValueHeaders = { 'content-type': ['text/plain; charset=utf-8'], 'set-cookie': ['visited=yes', 'lab=alb'] };
  } else {
    response.headers = { 'content-type': 'text/plain; charset=utf-8', 'set-cookie': 'visited=yes' };
  }
  return response;
};
