"""The workbench's Python runtime interface client.

Loads the handler named by _HANDLER ("package/module.function"), then takes invocations from the
Lambda Runtime API one at a time and posts each result back, with errors shaped as Lambda's
Python runtime shapes them.
"""

import decimal
import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

API_VERSION = "2018-06-01"
# Sent with each result and ignored by real Lambda: the number of output bytes the workbench waits
# for before it writes END and REPORT.
OUTPUT_BYTES_HEADER = "Lambda-Workbench-Output-Bytes"


class CountingStream:
    """Wraps sys.stdout or sys.stderr and counts the bytes written through it."""

    written = 0

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        try:
            CountingStream.written += len(text.encode(self._stream.encoding or "utf-8", self._stream.errors or "strict"))
        except (UnicodeError, AttributeError, LookupError):
            CountingStream.written += len(str(text).encode("utf-8", "replace"))
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


class FaultError(Exception):
    """A failure of the runtime itself (bad handler, import error), reported under a Runtime.* type."""

    def __init__(self, error_type, message, stack_trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stack_trace = stack_trace or []


class RuntimeApiClient:
    """One kept-alive HTTP connection to the Runtime API."""

    def __init__(self, endpoint):
        host, _, port = endpoint.rpartition(":")
        self.connection = http.client.HTTPConnection(host, int(port))

    def request(self, method, resource, body=None, headers=None):
        all_headers = {"Content-Type": "application/json"}
        all_headers.update(headers or {})
        path = "/{}/{}".format(API_VERSION, resource)
        try:
            self.connection.request(method, path, body=body, headers=all_headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            # The server may close an idle kept-alive connection; one fresh attempt is enough.
            self.connection.close()
            self.connection.request(method, path, body=body, headers=all_headers)
            response = self.connection.getresponse()
        payload = response.read()
        return response.status, response.headers, payload

    def next_invocation(self):
        status, headers, body = self.request("GET", "runtime/invocation/next")
        if status != 200:
            raise RuntimeError("Runtime API returned {} for the next invocation: {!r}".format(status, body))
        return headers, body

    def post_response(self, request_id, payload):
        self._post("runtime/invocation/{}/response".format(request_id), payload)

    def post_error(self, request_id, error):
        self._post("runtime/invocation/{}/error".format(request_id), json.dumps(error).encode(), error["errorType"])

    def post_init_error(self, error):
        self._post("runtime/init/error", json.dumps(error).encode(), error["errorType"])

    def _post(self, resource, body, error_type=None):
        headers = {OUTPUT_BYTES_HEADER: str(CountingStream.written)}
        if error_type:
            headers["Lambda-Runtime-Function-Error-Type"] = error_type
        status, _headers, payload = self.request("POST", resource, body, headers)
        if status != 202:
            sys.stderr.write("Runtime API {} returned {}: {}\n".format(resource, status, payload.decode(errors="replace")))


class CognitoIdentity:
    def __init__(self, identity):
        self.cognito_identity_id = identity.get("cognitoIdentityId")
        self.cognito_identity_pool_id = identity.get("cognitoIdentityPoolId")


class ClientContext:
    def __init__(self, context):
        self.client = context.get("client")
        self.custom = context.get("custom")
        self.env = context.get("env")


class LambdaContext:
    """The context object passed to handlers, with the attributes of Lambda's Python runtime."""

    def __init__(self, request_id, deadline_ms, invoked_function_arn, client_context, cognito_identity):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.client_context = ClientContext(client_context) if client_context else None
        self.identity = CognitoIdentity(cognito_identity) if cognito_identity else None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)

    def log(self, message):
        sys.stdout.write(str(message))

    def __repr__(self):
        return "LambdaContext([aws_request_id={}, function_name={}, function_version={}])".format(
            self.aws_request_id, self.function_name, self.function_version
        )


def make_error(message, error_type, stack_trace=None, request_id=None):
    return {"errorMessage": message, "errorType": error_type, "requestId": request_id or "", "stackTrace": stack_trace or []}


def log_error(error, stack_lines):
    # Lambda prints an error as one log event: its lines are joined with \r instead of \n.
    lines = ["[ERROR] {}: {}".format(error["errorType"], error["errorMessage"])]
    if stack_lines:
        lines.append("Traceback (most recent call last):")
        lines.extend(line.rstrip("\n") for line in stack_lines)
    sys.stdout.write("\r".join(lines).replace("\n", "\r") + "\n")


def load_handler(handler_setting):
    try:
        module_path, function_name = handler_setting.rsplit(".", 1)
    except ValueError as error:
        raise FaultError("Runtime.MalformedHandlerName", "Bad handler '{}': {}".format(handler_setting, error))
    module_name = module_path.replace("/", ".")
    if module_name.split(".")[0] in sys.builtin_module_names:
        raise FaultError("Runtime.BuiltInModuleConflict", "Cannot use built-in module {} as a handler module".format(module_name))
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise FaultError("Runtime.ImportModuleError", "Unable to import module '{}': {}".format(module_path, error))
    except SyntaxError as error:
        trace = ['  File "{}" Line {}\n    {}\n'.format(error.filename, error.lineno, error.text)]
        raise FaultError("Runtime.UserCodeSyntaxError", "Syntax error in module '{}': {}".format(module_path, error), trace)
    handler = getattr(module, function_name, None)
    if handler is None:
        raise FaultError("Runtime.HandlerNotFound", "Handler '{}' missing on module '{}'".format(function_name, module_path))
    return handler


def to_json(value):
    def convert(item):
        if isinstance(item, decimal.Decimal):
            return int(item) if item == item.to_integral_value() else float(item)
        raise TypeError("Object of type {} is not JSON serializable".format(type(item).__name__))

    return json.dumps(value, default=convert)


def error_from_exception(error, request_id):
    stack = traceback.format_list(traceback.extract_tb(error.__traceback__)[1:])
    return make_error(str(error), type(error).__name__, stack, request_id), stack


def handle_invocation(client, handler, headers, body):
    request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
    trace_id = headers.get("Lambda-Runtime-Trace-Id")
    if trace_id:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)
    current_request.id = request_id

    context = LambdaContext(
        request_id,
        int(headers.get("Lambda-Runtime-Deadline-Ms", "0")),
        headers.get("Lambda-Runtime-Invoked-Function-Arn", ""),
        parse_json_header(headers.get("Lambda-Runtime-Client-Context")),
        parse_json_header(headers.get("Lambda-Runtime-Cognito-Identity")),
    )
    try:
        event = json.loads(body) if body else None
        result = handler(event, context)
    except Exception as error:  # noqa: BLE001 - every handler exception is reported to Lambda
        error_body, stack = error_from_exception(error, request_id)
        log_error(error_body, stack)
        client.post_error(request_id, error_body)
        return
    try:
        payload = to_json(result).encode()
    except (TypeError, ValueError) as error:
        error_body = make_error("Unable to marshal response: {}".format(error), "Runtime.MarshalError", None, request_id)
        log_error(error_body, [])
        client.post_error(request_id, error_body)
        return
    client.post_response(request_id, payload)


def parse_json_header(value):
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


class current_request:
    """The request id in progress, read by the logging filter."""

    id = None


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = current_request.id
        return True


def configure_logging():
    handler = logging.StreamHandler(sys.stdout)
    formatter = logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)


def configure_path():
    task_root = os.environ.get("LAMBDA_TASK_ROOT", "/var/task")
    version = "python{}.{}".format(sys.version_info.major, sys.version_info.minor)
    for entry in reversed([task_root, "/opt/python/lib/{}/site-packages".format(version), "/opt/python"]):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    # The script's own folder and PYTHONPATH both add /var/runtime; Lambda lists each entry once.
    unique = []
    for entry in sys.path:
        if entry not in unique:
            unique.append(entry)
    sys.path[:] = unique


def main():
    sys.stdout = CountingStream(sys.stdout)
    sys.stderr = CountingStream(sys.stderr)
    client = RuntimeApiClient(os.environ["AWS_LAMBDA_RUNTIME_API"])
    configure_path()
    configure_logging()
    try:
        handler = load_handler(os.environ["_HANDLER"])
    except FaultError as fault:
        error_body = make_error(fault.message, fault.error_type, fault.stack_trace)
        log_error(error_body, fault.stack_trace)
        client.post_init_error(error_body)
        sys.exit(1)
    except Exception as error:  # noqa: BLE001 - an exception raised while importing the module
        error_body, stack = error_from_exception(error, None)
        log_error(error_body, stack)
        client.post_init_error(error_body)
        sys.exit(1)

    while True:
        headers, body = client.next_invocation()
        handle_invocation(client, handler, headers, body)


if __name__ == "__main__":
    main()
