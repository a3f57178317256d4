"""What SQS refuses at deploy time about a compiled `sqs-queue`, found before the deploy."""

from __future__ import annotations

from typing import Any

from stackwright import ConfigProblem, Resource, StackContext


def _fifo(body: dict[str, Any]) -> bool:
    return (body.get("Properties") or {}).get("FifoQueue") in (True, "true")


def check_queue(ctx: StackContext, resource: Resource) -> list[ConfigProblem]:
    """A dead-letter queue must be of the source queue's kind, FIFO for FIFO and standard for standard
    (SQS developer guide, "Using dead-letter queues"); [] when SQS would accept the queue."""
    template = ctx.template.resources
    queue = template.get(ctx.logical_id(resource.name, "Queue"))
    redrive = ((queue or {}).get("Properties") or {}).get("RedrivePolicy")
    target = redrive.get("deadLetterTargetArn") if isinstance(redrive, dict) else None
    if not (isinstance(target, dict) and set(target) == {"Fn::GetAtt"}):
        return []
    attribute = target["Fn::GetAtt"]
    dead_id = str(attribute[0] if isinstance(attribute, list) else str(attribute).split(".")[0])
    dead = template.get(dead_id)
    if queue is None or dead is None or dead.get("Type") != "AWS::SQS::Queue" or _fifo(queue) == _fifo(dead):
        return []
    kind, other = ("FIFO", "standard") if _fifo(queue) else ("standard", "FIFO")
    owner = ctx.template.owners.get(dead_id)
    name = repr(owner) if owner else f"cloudformationResources.{dead_id}"
    fifo = str(kind == "FIFO").lower()
    setting = f"`fifoEnabled: {fifo}` on {name}" if owner else f"`FifoQueue: {fifo}` on {name}"
    return [
        ctx.problem(
            ("resources", resource.name, "properties", "redrivePolicy"),
            f"the dead-letter queue {name} is a {other} queue; SQS requires a {kind} queue's dead-letter "
            f"queue to be {kind} too",
            hint=f"set {setting}, or use another queue",
        )
    ]
