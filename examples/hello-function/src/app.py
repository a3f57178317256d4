import os


def handler(event, context):
    return {
        "message": f"{os.environ.get('GREETING', 'hello')} from stackwright",
        "records": len(event.get("Records", [])),
    }
