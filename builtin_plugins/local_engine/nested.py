"""Nested stacks (`AWS::CloudFormation::Stack`) in the embedded engine, as CloudFormation runs them.

The engine creates a nested stack from its `TemplateURL`, but had no `Fn::GetAtt Stack.Outputs.Name`
(the root got nothing), and changed one by deleting it and creating a new one: every resource in it
was recreated under a new stack, the data of its tables lost. Taught here: the outputs, and an update
in place with the new template and parameters, as CloudFormation's nested stack update does.
"""

from __future__ import annotations

from typing import Any

#: `Fn::GetAtt` of a nested stack's output: `Outputs.{Name}` (AWS::CloudFormation::Stack return values).
OUTPUT_PREFIX = "Outputs."


def teach_nested_stacks() -> None:
    from moto.cloudformation.models import Stack
    from moto.cloudformation.utils import get_stack_from_s3_url
    from moto.utilities.utils import get_partition

    if getattr(Stack, "nests_in_place", False):
        return

    def attribute(self: Any, name: str) -> Any:
        if name.startswith(OUTPUT_PREFIX):
            key = name[len(OUTPUT_PREFIX) :]
            for output in self.output_map.values():
                if output is not None and output.key == key:
                    return output.value
            from moto.cloudformation.exceptions import ValidationError

            raise ValidationError(message=f"stack {self.name} has no output {key}")
        if name == "Arn":
            return self.stack_id
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

        raise UnformattedGetAttTemplateException()

    def update(
        cls: Any,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Any:
        properties = cloudformation_json["Properties"]
        body = get_stack_from_s3_url(
            properties["TemplateURL"], account_id=account_id, partition=get_partition(region_name)
        )
        parameters = {str(k): v for k, v in (properties.get("Parameters") or {}).items()}
        # the parameters are the new ones alone (the engine kept those of the last template, and failed on
        # one the new template no longer declares)
        resources = original_resource.resource_map
        resources.input_parameters, resources.resolved_parameters = {}, {}
        original_resource.update(body, parameters=parameters)
        return original_resource

    Stack.get_cfn_attribute = attribute  # type: ignore[attr-defined]
    Stack.update_from_cloudformation_json = classmethod(update)  # type: ignore[method-assign,assignment]
    Stack.nests_in_place = True  # type: ignore[attr-defined]
