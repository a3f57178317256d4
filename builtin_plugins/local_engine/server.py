"""The embedded engine's process: moto's server, taught to change the resources whose types its
CloudFormation cannot update.

Without this, the engine's CloudFormation drops such a resource from the stack when the resource changes
(the deploy still reports success): the stack no longer lists it, and a later delete leaves it behind.
Run as `python -m stackwright.builtin_plugins.local_engine.server -H 127.0.0.1 -p PORT`.
"""

from __future__ import annotations

import json
import sys
from typing import Any, cast

from .balancing import teach_load_balancing
from .batch import teach_batch
from .cloudfront import teach_cloudfront
from .nested import teach_nested_stacks
from .protection import teach_termination_protection
from .tasks import teach_task_definitions

#: Types the engine replaces to change them (the local target names them before such a deploy): a
#: table's items are lost locally, as they would be on AWS if the table were replaced.
REPLACED_ON_UPDATE = ("AWS::DynamoDB::Table",)
#: Types the engine now changes in place (and a permission it now takes away when it is removed).
UPDATED_IN_PLACE = ("AWS::Lambda::Permission", "AWS::Logs::LogGroup")


def teach() -> None:
    """Give moto's resource classes of `REPLACED_ON_UPDATE` and `UPDATED_IN_PLACE` an update, and its
    CloudFormation the CloudFront types of `cloudfront.TYPES`."""
    from moto.awslambda.models import Permission, lambda_backends
    from moto.dynamodb.models.table import Table
    from moto.logs.models import LogGroup

    def add_permission(properties: dict[str, Any], account: str, region: str) -> Any:
        function = lambda_backends[account][region].get_function(properties["FunctionName"])
        statement, _ = function.policy.add_statement(raw=json.dumps(properties))
        permission = cast(Any, Permission)(region=region)
        permission.statement = (function, statement)
        return permission

    def create_permission(
        cls: Any, /, name: str, template: dict[str, Any], account: str, region: str, **_: Any
    ) -> Any:
        return add_permission(template["Properties"], account, region)

    def remove_permission(permission: Any) -> None:
        function, statement = getattr(permission, "statement", (None, None))
        if function is not None and statement in function.policy.statements:
            function.policy.statements.remove(statement)

    def delete_permission(self: Any, account_id: str, region_name: str) -> None:
        remove_permission(self)

    def update_permission(
        cls: Any,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Any:
        remove_permission(original_resource)
        return add_permission(cloudformation_json["Properties"], account_id, region_name)

    def update_log_group(
        cls: Any,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Any:
        if new_resource_name != original_resource.name:
            return LogGroup.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
        original_resource.retention_in_days = cloudformation_json.get("Properties", {}).get("RetentionInDays")
        return original_resource

    def replace_table(
        cls: Any,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Any:
        Table.delete_from_cloudformation_json(original_resource.name, {}, account_id, region_name)
        return Table.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name
        )

    Permission.create_from_cloudformation_json = classmethod(create_permission)  # type: ignore[method-assign,assignment]
    Permission.update_from_cloudformation_json = classmethod(update_permission)  # type: ignore[method-assign,assignment]
    Permission.delete = delete_permission  # type: ignore[attr-defined]
    LogGroup.update_from_cloudformation_json = classmethod(update_log_group)  # type: ignore[method-assign,assignment]
    Table.update_from_cloudformation_json = classmethod(replace_table)  # type: ignore[method-assign,assignment]
    teach_cloudfront()
    teach_load_balancing()
    teach_batch()
    teach_task_definitions()
    teach_outputs()
    teach_termination_protection()
    teach_nested_stacks()
    teach_removal()


def teach_removal() -> None:
    """A resource removed from a stack is forgotten by it: the engine kept the deleted resource, so
    adding the same logical id back later (a rollback, a function removed then added again) created
    nothing while the stack said CREATE_COMPLETE."""
    from moto.cloudformation.parsing import ResourceMap

    if getattr(ResourceMap.update, "forgets_removed", False):
        return
    original = ResourceMap.update

    def update(self: Any, template: dict[str, Any], parameters: dict[str, Any] | None = None) -> None:
        removed = self.build_resource_diff(template, parameters)["Remove"]
        original(self, template, parameters)
        for logical_id in removed:
            self._parsed_resources.pop(logical_id, None)

    update.forgets_removed = True  # type: ignore[attr-defined]
    ResourceMap.update = update  # type: ignore[method-assign]


def teach_outputs() -> None:
    """A stack's outputs and exports follow the template a change set puts in place (the engine kept
    those of the template the stack was created with: none, for a stack a change set creates); a change
    set being applied says EXECUTE_IN_PROGRESS, and its stack `*_IN_PROGRESS`."""
    from moto.cloudformation.models import ChangeSet

    if getattr(ChangeSet.apply, "keeps_outputs", False):
        return
    original = ChangeSet.apply

    def apply(self: Any) -> None:
        # executing, as CloudFormation says at once: the engine applies the change set within the
        # ExecuteChangeSet request, and a deploy stopped meanwhile must not take it for unexecuted
        stack = self.stack
        was = (self.execution_status, stack.status)
        self.execution_status = "EXECUTE_IN_PROGRESS"
        stack.status = f"{self.change_set_type}_IN_PROGRESS"
        try:
            original(self)
        except BaseException:
            self.execution_status, stack.status = was
            raise
        stack.template = self.template
        stack._parse_template()
        stack.output_map = stack._create_output_map()
        # the region's exports follow the stack's outputs (the engine registered them on create only)
        from moto.cloudformation.models import cloudformation_backends

        exports = cloudformation_backends[stack.account_id][stack.region_name].exports
        for name in [n for n, e in exports.items() if e.exporting_stack_id == stack.stack_id]:
            exports.pop(name)
        for export in stack.exports:
            exports[export.name] = export

    apply.keeps_outputs = True  # type: ignore[attr-defined]
    ChangeSet.apply = apply  # type: ignore[method-assign]


def main() -> None:
    teach()
    from moto.server import main as serve

    serve(sys.argv[1:])


if __name__ == "__main__":
    main()
