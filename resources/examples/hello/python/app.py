"""Greets the caller by name and reports where it ran."""

import os
import platform


def handler(event, context):
    name = event.get("name", "world") if isinstance(event, dict) else "world"
    print(f"Greeting {name}")
    return {
        "message": f"{os.environ['GREETING']}, {name}!",
        "language": os.environ["FUNCTION_LANGUAGE"],
        "runtime": platform.python_version(),
        "functionName": context.function_name,
        "requestId": context.aws_request_id,
    }
