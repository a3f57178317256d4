"""What the container types' schema accepts (so Stacktape configs validate) but no compiler handles yet:
refused by name with `x-refused` marks."""

from __future__ import annotations

from typing import Any

from stackwright import schema

#: Batch job event types compiled here; the others are refused.
BATCH_EVENTS_COMPILED = ("schedule", "event-bus", "s3")


def refuse_unsupported(definitions: dict[str, Any], schemas: dict[str, Any], event_types: list[str]) -> None:
    """Mark the unsupported properties and variants of the container `definitions` and the types'
    `schemas` in place; `event_types` are the batch job's event types."""
    packaging = "use custom-dockerfile, stacktape-image-buildpack (Python) or prebuilt-image"
    for union in ("ContainerPackaging", "BatchJobPackaging"):
        schema.refuse_variants(definitions[union], {"external-buildpack": packaging, "nixpacks": packaging})
    schema.refuse(
        definitions["ContainerLogging"],
        {
            "disabled": "remove it: container logs always go to their log group",
            "logForwarding": "remove it: log forwarding is not supported yet",
        },
    )
    mounts = "remove it: EFS volume mounts are not supported yet"
    for name in ("SideContainer", "WorkloadContainer"):
        schema.refuse(
            definitions[name],
            {
                "volumeMounts": mounts,
                "dependsOn": "remove it: containers start together (use `containerType`)",
            },
        )
    schema.refuse_variants(
        definitions["WorkloadContainerEvent"],
        {
            "service-connect": "use a `workload-internal` event (reached by the service's Cloud Map name)",
            "network-load-balancer": "use an `application-load-balancer` or `http-api-gateway` event",
        },
    )
    batch_event = (
        "supported: schedule, event-bus, s3; or start the job's state machine from a function with this "
        "event (connectTo the batch-job)"
    )
    schema.refuse_variants(
        definitions["BatchJobEvent"],
        {t: batch_event for t in event_types if t not in BATCH_EVENTS_COMPILED},
    )
    schema.refuse(
        definitions["BatchJobEvent"],
        {"onDeliveryFailure": "remove it: undelivered events are not kept yet"},
    )
    remote = "remove it: remote sessions (ECS Exec) are not supported yet"
    nat = "remove it: services run in public subnets with public IPs (no NAT gateway)"
    deployment = "remove it: new tasks replace old ones in a rolling update"
    for name in ("web-service", "worker-service", "private-service"):
        schema.refuse(
            schemas[name],
            {"enableRemoteSessions": remote, "volumeMounts": mounts, "usePrivateSubnetsWithNAT": nat},
        )
    schema.refuse(
        schemas["multi-container-workload"],
        {"enableRemoteSessions": remote, "usePrivateSubnetsWithNAT": nat, "deployment": deployment},
    )
    schema.refuse(
        schemas["web-service"],
        {
            "cdn": ("remove it: a CDN in front of a service is not supported yet", ({"enabled": False},)),
            "alarms": "remove it: alarms are not supported yet",
            "deployment": deployment,
            "useFirewall": "remove it: a web application firewall is not supported yet",
        },
    )
    schema.refuse_variants(
        definitions["WebServiceLoadBalancing"],
        {"network-load-balancer": "use `application-load-balancer` or `http-api-gateway`"},
    )
    schema.refuse(
        schemas["private-service"],
        {"loadBalancing": "remove it: a private-service is reached by its Cloud Map name (`address` param)"},
    )
    schema.refuse(
        definitions["ContainerResources"],
        {
            "instanceTypes": "remove it: containers run on Fargate (give `cpu` and `memory`)",
            "enableWarmPool": "remove it: containers run on Fargate, without EC2 instances to keep warm",
        },
    )
    schema.refuse(
        schemas["private-service"],
        {
            "protocol": "remove it: the service is reached over TCP at its Cloud Map name, in the app's "
            "protocol"
        },
    )
    schema.refuse(
        definitions["WorkloadContainerEvent"],
        {
            "payloadFormat": (
                "remove it: a container receives the HTTP request itself (payload format 2.0 is a Lambda "
                "function's)",
                ("1.0",),
            ),
        },
    )
    schema.refuse(
        definitions["WorkloadContainer"],
        {
            "loadBalancerHealthCheck.healthCheckProtocol": (
                "remove it: an application load balancer checks targets over HTTP (TCP checks are a network "
                "load balancer's)",
                ("HTTP",),
            ),
        },
    )
