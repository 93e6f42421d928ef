// @ts-check
/**
 * A client of the Lambda Runtime API (version 2018-06-01) over one kept-alive HTTP connection.
 * Node's agent unreferences idle pooled sockets, so they never keep the event loop alive. Callback
 * handlers that wait for an empty event loop depend on that.
 */
import http from 'node:http';
import { outputBytes } from './output-counter.mjs';

const API_VERSION = '2018-06-01';

/**
 * @typedef {object} Invocation
 * @property {string} requestId
 * @property {number} deadlineMs
 * @property {string} invokedFunctionArn
 * @property {string | undefined} traceId
 * @property {string | undefined} clientContext
 * @property {string | undefined} cognitoIdentity
 * @property {Buffer} body
 */

export class RapidClient {
  /** @param {string} endpoint host:port from AWS_LAMBDA_RUNTIME_API */
  constructor(endpoint) {
    const separator = endpoint.lastIndexOf(':');
    this.host = endpoint.slice(0, separator);
    this.port = Number(endpoint.slice(separator + 1));
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  /** @returns {Promise<Invocation>} */
  async next() {
    const { headers, body } = await this.request('GET', 'runtime/invocation/next');
    const header = (/** @type {string} */ name) => {
      const value = headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    return {
      requestId: header('lambda-runtime-aws-request-id') ?? '',
      deadlineMs: Number(header('lambda-runtime-deadline-ms')),
      invokedFunctionArn: header('lambda-runtime-invoked-function-arn') ?? '',
      traceId: header('lambda-runtime-trace-id'),
      clientContext: header('lambda-runtime-client-context'),
      cognitoIdentity: header('lambda-runtime-cognito-identity'),
      body,
    };
  }

  /** @param {string} requestId @param {string} payload */
  postResponse(requestId, payload) {
    return this.request('POST', `runtime/invocation/${requestId}/response`, payload);
  }

  /** @param {string} requestId @param {import('./errors.mjs').ErrorBody} error */
  postError(requestId, error) {
    return this.request('POST', `runtime/invocation/${requestId}/error`, JSON.stringify(error), error.errorType);
  }

  /** @param {import('./errors.mjs').ErrorBody} error */
  postInitError(error) {
    return this.request('POST', 'runtime/init/error', JSON.stringify(error), error.errorType);
  }

  /**
   * @param {string} method
   * @param {string} resource
   * @param {string} [payload]
   * @param {string} [errorType]
   * @returns {Promise<{status: number, headers: http.IncomingHttpHeaders, body: Buffer}>}
   */
  request(method, resource, payload, errorType) {
    return new Promise((resolve, reject) => {
      /** @type {http.OutgoingHttpHeaders} */
      const headers = { 'Content-Type': 'application/json' };
      if (payload !== undefined) headers['Content-Length'] = Buffer.byteLength(payload);
      if (errorType) headers['Lambda-Runtime-Function-Error-Type'] = errorType;
      if (method === 'POST') headers['Lambda-Workbench-Output-Bytes'] = String(outputBytes());
      const request = http.request(
        { host: this.host, port: this.port, method, path: `/${API_VERSION}/${resource}`, agent: this.agent, headers },
        (response) => {
          /** @type {Buffer[]} */
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const body = Buffer.concat(chunks);
            const status = response.statusCode ?? 0;
            if (method === 'GET' && status !== 200) {
              reject(new Error(`Runtime API ${resource} returned ${status}: ${body.toString()}`));
              return;
            }
            if (method === 'POST' && status !== 202) {
              process.stderr.write(`Runtime API ${resource} returned ${status}: ${body.toString()}\n`);
            }
            resolve({ status, headers: response.headers, body });
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }
}
