def handler(event, context):
    return {"invoices": []}
