"""What Lambda refuses at deploy time about a compiled `function`, found before the deploy.

Each rule reads the compiled template (so `overrides`, `connectTo` and `cloudformationResources` count)
and points at the config value that causes the problem.
"""

from __future__ import annotations

from typing import Any

from stackwright import ConfigProblem, Resource, StackContext

from .artifact import check_handler

#: Default VisibilityTimeout of an AWS::SQS::Queue, in seconds (SQS API reference, CreateQueue).
SQS_DEFAULT_VISIBILITY = 30
#: Lambda refuses an SQS event source whose queue's visibility timeout is below the function timeout
#: ("Lambda validates this requirement when you create or update an event source mapping"), and
#: recommends six times the timeout (Lambda developer guide, services-sqs-configure).
SQS_VISIBILITY_FACTOR = 6
#: Longest SQS visibility timeout, in seconds (12 hours; SQS API reference, ChangeMessageVisibility).
SQS_MAX_VISIBILITY = 43200
#: Largest batch without a batching window, and the largest batch a FIFO queue allows
#: (Lambda API reference, CreateEventSourceMapping: BatchSize).
SQS_PLAIN_BATCH = 10
#: Environment variable names Lambda sets itself and refuses in a function's configuration
#: (Lambda developer guide, "Defined runtime environment variables").
RESERVED_VARIABLES = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
    }
)
#: Total size of a function's environment variables, names and values, in bytes (Lambda quotas).
ENVIRONMENT_LIMIT = 4096


def _get_att_target(value: Any) -> str | None:
    """The logical id in `{"Fn::GetAtt": [id, "Arn"]}` (or `"id.Arn"`), else None."""
    if isinstance(value, dict) and set(value) == {"Fn::GetAtt"}:
        target = value["Fn::GetAtt"]
        return str(target[0] if isinstance(target, list) else str(target).split(".")[0])
    return None


def _int(value: Any) -> int | None:
    try:
        return int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None  # an intrinsic: known only at deploy time


def check_function(ctx: StackContext, resource: Resource) -> list[ConfigProblem]:
    """Every rule below, for one function, and its handler (see `check_handler`); [] when Lambda would
    accept it."""
    template = ctx.template.resources
    function = template.get(ctx.logical_id(resource.name, "Function"))
    if function is None:
        return []
    properties = function.get("Properties") or {}
    handler = properties.get("Handler")
    return [
        *(
            check_handler(ctx, resource, handler, str(properties.get("Runtime") or ""))
            if isinstance(handler, str)
            else []
        ),
        *_sqs_events(ctx, resource, properties),
        *_environment(ctx, resource, properties),
    ]


def _sqs_events(ctx: StackContext, resource: Resource, function: dict[str, Any]) -> list[ConfigProblem]:
    problems: list[ConfigProblem] = []
    template = ctx.template.resources
    base = ("resources", resource.name, "properties")
    timeout = _int(function.get("Timeout"))
    for index, event in enumerate(resource.properties.get("events") or []):
        if not isinstance(event, dict) or event.get("type") != "sqs":
            continue
        mapping = template.get(ctx.logical_id(resource.name, f"Event{index}EventSourceMapping"))
        queue_id = _get_att_target(((mapping or {}).get("Properties") or {}).get("EventSourceArn"))
        queue = template.get(queue_id or "")
        if mapping is None or queue is None or queue.get("Type") != "AWS::SQS::Queue":
            continue
        path = (*base, "events", index, "properties")
        queue_props = queue.get("Properties") or {}
        owner = ctx.template.owners.get(str(queue_id))
        queue_resource = ctx.config.resource(owner) if owner else None
        overridden = (
            queue_resource.override_path(str(queue_id), "VisibilityTimeout") if queue_resource else None
        )
        where = ctx.config.position_of(*(overridden or ("resources", owner))) if owner else None
        named = f"queue {owner!r}" if owner else f"queue cloudformationResources.{queue_id}"
        visibility = _int(queue_props.get("VisibilityTimeout", SQS_DEFAULT_VISIBILITY))
        if timeout is not None and visibility is not None and visibility < timeout:
            wanted = min(timeout * SQS_VISIBILITY_FACTOR, SQS_MAX_VISIBILITY)
            if overridden:
                setting = f"`{overridden[-1]}: {wanted}` in overrides.{queue_id} of {owner!r}"
            elif owner:
                setting = f"`visibilityTimeoutSeconds: {wanted}` on {owner!r}"
            else:
                setting = f"`VisibilityTimeout: {wanted}` on cloudformationResources.{queue_id}"
            at = f", {where}" if where else ""
            problems.append(
                ctx.problem(
                    _timeout_path(ctx, resource) or path,
                    f"the function timeout ({timeout} s) is longer than the visibility timeout of {named} "
                    f"({visibility} s{at}): Lambda refuses such an SQS event source",
                    hint=f"set {setting} (AWS recommends {SQS_VISIBILITY_FACTOR} times the function "
                    "timeout), or shorten the timeout",
                )
            )
        mapping_props = mapping.get("Properties") or {}
        batch = _int(mapping_props.get("BatchSize", SQS_PLAIN_BATCH))
        window = _int(mapping_props.get("MaximumBatchingWindowInSeconds", 0))
        if queue_props.get("FifoQueue") in (True, "true"):
            if batch is not None and batch > SQS_PLAIN_BATCH:
                problems.append(
                    ctx.problem(
                        (*path, "batchSize"),
                        f"{named} is a FIFO queue: Lambda takes at most {SQS_PLAIN_BATCH} messages a batch "
                        f"from it, not {batch}",
                    )
                )
            if "MaximumBatchingWindowInSeconds" in mapping_props:
                problems.append(
                    ctx.problem(
                        (*path, "maxBatchWindowSeconds"),
                        f"{named} is a FIFO queue: Lambda has no batching window for FIFO queues",
                        hint="remove maxBatchWindowSeconds",
                    )
                )
        elif batch is not None and batch > SQS_PLAIN_BATCH and window is not None and window < 1:
            problems.append(
                ctx.problem(
                    (*path, "batchSize"),
                    f"a batch size over {SQS_PLAIN_BATCH} ({batch}) needs a batching window: Lambda refuses "
                    "it with maxBatchWindowSeconds 0 or unset",
                    hint="set `maxBatchWindowSeconds` to 1 or more",
                )
            )
    return problems


def _timeout_path(ctx: StackContext, resource: Resource) -> tuple[str, ...] | None:
    """Where the function's timeout is written: its `overrides` of the Lambda function, else `timeout`."""
    overridden = resource.override_path(ctx.logical_id(resource.name, "Function"), "Timeout")
    if overridden is not None:
        return overridden
    if "timeout" in resource.properties:
        return ("resources", resource.name, "properties", "timeout")
    return None


def _environment(ctx: StackContext, resource: Resource, function: dict[str, Any]) -> list[ConfigProblem]:
    variables = (function.get("Environment") or {}).get("Variables") or {}
    if not isinstance(variables, dict):
        return []
    base = ("resources", resource.name, "properties", "environment")
    entries = resource.properties.get("environment") or []
    written = {str(v.get("name")): i for i, v in enumerate(entries) if isinstance(v, dict)}
    function_id = ctx.logical_id(resource.name, "Function")
    problems = [
        ctx.problem(
            (*base, written[name], "name")
            if name in written
            else resource.override_path(function_id, "Environment", "Variables", name) or base,
            f"Lambda sets {name} itself and refuses it in a function's environment",
            hint="choose another name",
        )
        for name in variables
        if name in RESERVED_VARIABLES
    ]
    size = sum(len(str(k).encode()) + len(v.encode()) for k, v in variables.items() if isinstance(v, str))
    if size > ENVIRONMENT_LIMIT:
        problems.append(
            ctx.problem(
                base,
                f"the environment variables take {size} bytes; Lambda allows {ENVIRONMENT_LIMIT} in all "
                "(names and values)",
                hint="move large values to SSM Parameter Store or Secrets Manager and read them at start",
            )
        )
    return problems
