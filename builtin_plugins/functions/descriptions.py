"""What each property of the `function` type means: the descriptions editors show on hover and the
config reference lists (`stackwright.schema.describe` puts them in place)."""

from __future__ import annotations

PACKAGING_TEXTS = {
    "handlerFunction": "Name of the handler in the entry file (default `handler` for Python, the default "
    "export for JavaScript/TypeScript).",
    "entryfilePath": "Path of the file that holds the handler, from the project root (`src/app.py`).",
    "includeFiles": "Glob patterns of extra files to put in the zip (templates, data files).",
    "excludeFiles": "Glob patterns of files to leave out of the zip.",
    "excludeDependencies": "Dependencies not to install in the zip (ones the runtime already has).",
    "languageSpecificConfig": "Settings for the entry file's language (Python package manager, Node.js "
    "bundling options).",
    "packagePath": "Path of the zip file, or of a folder to zip, from the project root.",
    "handler": "The handler as Lambda expects it (`app.handler`, `index.main`).",
}

EVENT_TEXTS = {
    "scheduleRate": "When to run: `rate(5 minutes)` or `cron(0 12 * * ? *)` (UTC; at most once a minute).",
    "input": "A fixed JSON value passed as the event, instead of EventBridge's own event.",
    "inputPath": "A JSONPath into EventBridge's event: only that part is passed (`$.detail`).",
    "inputTransformer": "Builds the event from parts of EventBridge's: `inputPathsMap` and `inputTemplate`.",
    "sqsQueueName": "Name of the `sqs-queue` resource in this config to read from (or give `sqsQueueArn`).",
    "sqsQueueArn": "ARN of a queue outside this config to read from (or give `sqsQueueName`).",
    "batchSize": "Most messages or records per invocation (queues: 1 to 10,000, above 10 needs "
    "`maxBatchWindowSeconds`, default 10; table streams: default 100).",
    "maxBatchWindowSeconds": "Seconds to wait gathering a batch before invoking (0 to 300).",
    "httpApiGatewayName": "Name of the `http-api-gateway` resource in this config the route is added to.",
    "method": "HTTP method of the route (`GET`, `POST`, ...), or `*` for any.",
    "path": "Path of the route: `/posts`, `/posts/{id}` (a path parameter), `/files/{proxy+}` (everything "
    "below), or `*` (every request no other route takes).",
    "payloadFormat": "Event format the function receives (`1.0` or `2.0`; default: the API's, else `1.0`).",
    "authorizer": "Who may call the route: a JWT from a `user-auth-pool` (`cognito`), or what a function "
    "decides (`lambda`).",
    "bucketArn": "ARN of a `bucket` of this config: `$ResourceParam('myBucket', 'arn')`.",
    "s3EventType": "Which object events run the function (`s3:ObjectCreated:*`).",
    "filterRule": "Only objects whose key has this prefix and/or suffix.",
    "filterRule.prefix": "Start of the object key (`uploads/`).",
    "filterRule.suffix": "End of the object key (`.jpg`).",
    "snsTopicName": "Name of the `sns-topic` resource in this config to subscribe to (or `snsTopicArn`).",
    "snsTopicArn": "ARN of a topic outside this config to subscribe to (or give `snsTopicName`).",
    "filterPolicy": "SNS subscription filter policy: only messages whose attributes match run the function.",
    "onDeliveryFailure": "An SQS queue for what SNS or EventBridge could not deliver to the function.",
    "onDeliveryFailure.sqsQueueName": "Name of an `sqs-queue` resource in this config.",
    "onDeliveryFailure.sqsQueueArn": "ARN of a queue outside this config (its policy must let SNS or "
    "EventBridge send).",
    "streamArn": "ARN of the stream: a DynamoDB table's (`$ResourceParam('myTable', 'streamArn')`), or a "
    "Kinesis stream outside this config (or give `kinesisStreamName`).",
    "startingPosition": "Where reading starts: `TRIM_HORIZON` (the oldest record kept, default) or `LATEST`.",
    "maximumRetryAttempts": "Retries of a failed batch (-1: until the records expire; default -1).",
    "onFailure": "Where a batch goes when its retries are used up: an SNS topic or SQS queue ARN.",
    "onFailure.arn": "ARN of the topic or queue.",
    "onFailure.type": "`sns` or `sqs`.",
    "parallelizationFactor": "Batches of one shard processed at once (1 to 10, default 1).",
    "bisectBatchOnFunctionError": "Split a failed batch in two and retry each half.",
    "kinesisStreamName": "Name of the `kinesis-stream` resource in this config to read (or `streamArn`).",
    "consumerArn": "ARN of a stream consumer to read through (dedicated throughput).",
    "autoCreateConsumer": "Make a stream consumer for this function and read through it (dedicated "
    "throughput, lower latency).",
    "eventBusArn": "ARN of an event bus outside this config to listen on.",
    "eventBusName": "Name of the `event-bus` resource in this config to listen on.",
    "useDefaultBus": "Listen on the account's default event bus (AWS services' events); the default.",
    "eventPattern": "Which events run the function: an EventBridge event pattern (every field must match).",
    "logGroupArn": "ARN of the log group whose records run the function (`$ResourceParam('api', "
    "'logGroupArn')`).",
    "filter": "CloudWatch Logs filter pattern: only matching records are sent (default: every record).",
}

_CORS = {
    "url.cors.enabled": "Answer CORS preflight requests and add CORS headers.",
    "url.cors.allowedOrigins": "Origins allowed to call the URL (default `*`).",
    "url.cors.allowedHeaders": "Request headers browsers may send.",
    "url.cors.allowedMethods": "HTTP methods browsers may use.",
    "url.cors.allowCredentials": "Let browsers send cookies and authorization headers along.",
    "url.cors.exposedResponseHeaders": "Response headers browser scripts may read.",
    "url.cors.maxAge": "Seconds a browser may cache a preflight response (at most 86,400).",
}

FUNCTION_TEXTS = {
    "packaging": "How the function's code is built into a zip.",
    "events": "What invokes the function: schedules, queues, topics, HTTP APIs, bucket objects, table "
    "streams (other event types are refused by name).",
    "environment": "Environment variables of the function (at most 4 KB in all).",
    "runtime": "Lambda runtime (default: from the entry file: `python3.13`, or `nodejs24.x` for "
    "JavaScript/TypeScript).",
    "architecture": "Processor architecture the function runs on (default `x86_64`).",
    "memory": "Memory in MB, 128 to 10,240; CPU grows with it (default 1024).",
    "timeout": "Seconds an invocation may run, 1 to 900 (default 20).",
    "joinDefaultVpc": "Run the function inside the default VPC (not supported yet).",
    "tags": "Tags added to the function (at most 50).",
    "destinations": "Where results of asynchronous invocations go (not supported yet).",
    "logging": "The function's CloudWatch log group.",
    "logging.disabled": "Create no log group: the function's output is not kept.",
    "logging.retentionDays": "Days log records are kept (default 90).",
    "logging.logForwarding": "Also send the log records to a third-party service.",
    "provisionedConcurrency": "Instances kept initialized, so no invocation waits for a cold start (not "
    "supported yet).",
    "reservedConcurrency": "Most instances that may run at once; also keeps that many for this function.",
    "layers": "ARNs of Lambda layers to add (at most 5).",
    "deployment": "Gradual traffic shifting between versions (not supported yet).",
    "alarms": "CloudWatch alarms on the function's metrics (not supported yet).",
    "disabledGlobalAlarms": "Names of project-wide alarms that do not apply to this function.",
    "url": "A public HTTPS endpoint (function URL) that invokes the function.",
    "url.enabled": "Create the function URL.",
    "url.authMode": "`NONE`: anyone may call it; `AWS_IAM`: only signed requests allowed by IAM (default "
    "`NONE`).",
    "url.responseStreamEnabled": "Stream the response as it is written (up to 20 MB) instead of buffering it "
    "(6 MB).",
    "url.cors": "CORS settings of the function URL, for browsers on other origins.",
    **_CORS,
    "cdn": "A CloudFront distribution in front of the function URL (not supported yet).",
    "storage": "Size of `/tmp` in MB, 512 to 10,240 (default 512).",
    "volumeMounts": "EFS file systems to mount (not supported yet).",
    "connectTo": "Names of resources in this config the function may use: it gets their `STP_*` "
    "variables and IAM permissions.",
    "iamRoleStatements": "Extra IAM statements for the function's role.",
}
