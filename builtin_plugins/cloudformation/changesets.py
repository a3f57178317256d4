"""What a deploy asks of its change sets beyond making and executing them: whether a cut-off request
landed, which of several first deploys goes on, and whether one is known to be unexecuted."""

from __future__ import annotations

import time
from typing import Any


def settle(cf: Any, stack: str, change_set: str, tries: int = 5, pause: float = 0.4) -> None:
    """Wait (at most `tries` times `pause` seconds) for a CreateChangeSet that was cut off mid-request to
    land, so that withdrawing it finds it (the target may still be creating it)."""
    for _ in range(tries):
        try:
            cf.describe_change_set(StackName=stack, ChangeSetName=change_set)
            return
        except Exception:  # not there (yet), or the target does not answer
            time.sleep(pause)


def not_first(cf: Any, stack: str, ours: dict[str, Any]) -> bool:
    """Whether another change set of the stack (another first deploy's) came before `ours`: the
    earliest creation time wins, then the smaller id, so of several first deploys exactly one goes on.
    Change sets of an earlier, deleted stack of the same name do not count; those of another stack
    under review of that name do (an emulator may give each concurrent CREATE change set a stack of its
    own, where CloudFormation gives them one)."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        others = [
            c
            for c in cf.list_change_sets(StackName=stack).get("Summaries", [])
            if f":stack/{stack}/" in str(c.get("StackId", ""))
        ]
    except (BotoCoreError, ClientError):
        return False
    mine = (ours.get("CreationTime"), str(ours.get("ChangeSetId", "")))
    earlier = [
        c
        for c in others
        if c.get("ChangeSetId") != mine[1]
        and c.get("ExecutionStatus") in ("AVAILABLE", "EXECUTE_IN_PROGRESS", "EXECUTE_COMPLETE")
        and mine[0] is not None
        and c.get("CreationTime") is not None
        and (c["CreationTime"], str(c.get("ChangeSetId", ""))) < mine
    ]
    return any(c.get("StackId") == ours.get("StackId") or _alive(cf, str(c["StackId"])) for c in earlier)


def _alive(cf: Any, stack_id: str) -> bool:
    """Whether the stack with this id still exists (a deleted one reads as DELETE_COMPLETE)."""
    try:
        found = cf.describe_stacks(StackName=stack_id)["Stacks"]
    except Exception:  # gone, or unreadable: not a deploy to make way for
        return False
    return bool(found) and found[0].get("StackStatus") != "DELETE_COMPLETE"


def unexecuted(cf: Any, stack: str, change_set: str) -> bool:
    """Whether the change set is known to be still unexecuted (False when that cannot be told)."""
    try:
        described = cf.describe_change_set(StackName=stack, ChangeSetName=change_set)
    except Exception:  # gone, or the target unreachable: cannot tell
        return False
    return described.get("ExecutionStatus") in ("AVAILABLE", "UNAVAILABLE")
