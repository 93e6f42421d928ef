"""Returns a greeting for the name in the event."""


def handler(event, context):
    name = event.get("name", "world") if isinstance(event, dict) else "world"
    print(f"Greeting {name}")
    return {"message": f"Hello, {name}!"}
