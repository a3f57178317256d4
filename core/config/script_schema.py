"""The schema of Stacktape's root `hooks` and `scripts`: local commands run around deploy and delete
and by `stackwright script:run` (see `stackwright.scripts`)."""

from __future__ import annotations

from typing import Any

#: What the properties of a `local-script` mean.
SCRIPT_TEXTS = {
    "executeCommand": "A shell command to run.",
    "executeCommands": "Shell commands run one after the other; a failing one stops the script.",
    "executeScript": "A script file to run (`.py` with Python, `.js`/`.mjs`/`.cjs`/`.ts` with "
    "Node.js (type stripping), `.sh` with sh), relative to the project root.",
    "executeScripts": "Script files run one after the other (see `executeScript`).",
    "cwd": "Folder to run in, relative to the project root (default: the project root).",
    "pipeStdio": "Show the script's output and let it read the terminal (default true); false: its output "
    "is shown only when it fails.",
    "connectTo": "Resources whose parameters the script gets as `STP_<RESOURCE>_<PARAM>` variables, as a "
    "function would (read from the deployed stack).",
    "environment": "Variables of the script; directives are read from the deployed stack.",
    "assumeRoleOfResource": "Run with the credentials of a resource's role.",
}


#: Stacktape's hooks: the commands they run around (`beforeDev`/`afterDev` and the bucket-sync ones are
#: refused: stackwright has no such command).
HOOKS = (
    "beforeDeploy",
    "afterDeploy",
    "beforeDelete",
    "afterDelete",
    "beforeBucketSync",
    "afterBucketSync",
    "beforeDev",
    "afterDev",
)


def hooks_schema() -> dict[str, Any]:
    hook = {
        "type": "object",
        "additionalProperties": False,
        "required": ["scriptName"],
        "properties": {
            "scriptName": {"type": "string", "description": "The script (of `scripts`) to run."},
            "skipOnCI": {"type": "boolean", "description": "Skip it in CI (where the `CI` variable is set)."},
            "skipOnLocal": {"type": "boolean", "description": "Run it only in CI."},
        },
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            name: {"type": "array", "items": hook, "description": HOOK_TEXTS[name]} for name in HOOKS
        },
    }


#: When each hook's scripts run.
HOOK_TEXTS = {
    "beforeDeploy": "Scripts run (in order) before `deploy` packages anything; one that fails stops the "
    "deploy.",
    "afterDeploy": "Scripts run after a deploy succeeds (their environment's directives read the deployed "
    "stack).",
    "beforeDelete": "Scripts run before `delete` removes the stack.",
    "afterDelete": "Scripts run after the stack is deleted.",
    "beforeBucketSync": "Scripts run before a bucket sync (stackwright has no bucket-sync command).",
    "afterBucketSync": "Scripts run after a bucket sync (stackwright has no bucket-sync command).",
    "beforeDev": "Scripts run before dev mode (stackwright has no dev mode).",
    "afterDev": "Scripts run after dev mode (stackwright has no dev mode).",
}


def script_schema() -> dict[str, Any]:
    from stackwright.schema import obj, tagged

    strings = {"type": "array", "items": {"type": "string"}, "minItems": 1}
    local = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "executeCommand": {"type": "string", "minLength": 1},
            "executeCommands": strings,
            "executeScript": {"type": "string", "minLength": 1},
            "executeScripts": strings,
            "cwd": {"type": "string"},
            "pipeStdio": {"type": "boolean"},
            "connectTo": {"type": "array", "items": {"type": "string"}},
            "environment": {
                "type": "array",
                "items": obj(
                    {
                        "name": {"type": "string", "description": "Variable name."},
                        "value": {
                            "type": ["string", "number", "boolean"],
                            "description": "Its value: text or a directive (`$ResourceParam('db', 'host')`).",
                        },
                    },
                    "name",
                    "value",
                ),
            },
            "assumeRoleOfResource": {"type": "string"},
        },
    }
    return {
        "anyOf": [
            tagged("local-script", local, summary="commands or script files run on this machine."),
            tagged("bastion-script", {"type": "object"}, summary="commands run on a bastion host."),
            tagged(
                "local-script-with-bastion-tunneling",
                {"type": "object"},
                summary="a local script whose connections go through a bastion host.",
            ),
        ]
    }
