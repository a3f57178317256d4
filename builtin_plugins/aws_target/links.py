"""Links to a stack's resources in the AWS Management Console, by CloudFormation type.

Each pattern takes the resource's physical id (what `ListStackResources` returns: a name, a URL for an
SQS queue, an ARN for an SNS topic or a state machine), the region, and the stack's id. A type without
a pattern links to the resource's row in the CloudFormation console's view of the stack.
"""

from __future__ import annotations

from urllib.parse import quote

#: CloudFormation type → URL pattern; `{id}` is the physical id (URL-quoted), `{name}` its last part
#: after `/` or `:` (an ARN's or URL's name), `{region}` the region.
PATTERNS: dict[str, str] = {
    "AWS::Lambda::Function": "https://{region}.console.aws.amazon.com/lambda/home?region={region}#/functions/{id}",
    "AWS::S3::Bucket": "https://s3.console.aws.amazon.com/s3/buckets/{id}?region={region}",
    "AWS::DynamoDB::Table": "https://{region}.console.aws.amazon.com/dynamodbv2/home?region={region}"
    "#table?name={id}",
    "AWS::SQS::Queue": "https://{region}.console.aws.amazon.com/sqs/v3/home?region={region}#/queues/{id}",
    "AWS::SNS::Topic": "https://{region}.console.aws.amazon.com/sns/v3/home?region={region}#/topic/{id}",
    "AWS::IAM::Role": "https://console.aws.amazon.com/iam/home#/roles/details/{id}",
    "AWS::Logs::LogGroup": "https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}"
    "#logsV2:log-groups/log-group/{logs_id}",
    "AWS::ECR::Repository": "https://{region}.console.aws.amazon.com/ecr/repositories/private/{account}/{id}"
    "?region={region}",
    "AWS::ECS::Cluster": "https://{region}.console.aws.amazon.com/ecs/v2/clusters/{id}?region={region}",
    "AWS::ECS::Service": "https://{region}.console.aws.amazon.com/ecs/v2/clusters/{cluster}/services/{name}"
    "?region={region}",
    "AWS::ApiGatewayV2::Api": "https://{region}.console.aws.amazon.com/apigateway/main/api-detail"
    "?api={id}&region={region}",
    "AWS::Events::Rule": "https://{region}.console.aws.amazon.com/events/home?region={region}"
    "#/eventbus/{bus}/rules/{name}",
    "AWS::Events::EventBus": "https://{region}.console.aws.amazon.com/events/home?region={region}"
    "#/eventbus/{id}",
    "AWS::Kinesis::Stream": "https://{region}.console.aws.amazon.com/kinesis/home?region={region}"
    "#/streams/details/{id}/monitoring",
    "AWS::SecretsManager::Secret": "https://{region}.console.aws.amazon.com/secretsmanager/secret"
    "?name={name}&region={region}",
    "AWS::RDS::DBInstance": "https://{region}.console.aws.amazon.com/rds/home?region={region}"
    "#database:id={id}",
    "AWS::RDS::DBCluster": "https://{region}.console.aws.amazon.com/rds/home?region={region}"
    "#database:id={id};is-cluster=true",
    "AWS::StepFunctions::StateMachine": "https://{region}.console.aws.amazon.com/states/home?region={region}"
    "#/statemachines/view/{id}",
    "AWS::EC2::SecurityGroup": "https://{region}.console.aws.amazon.com/ec2/home?region={region}"
    "#SecurityGroup:groupId={id}",
    "AWS::CloudFront::Distribution": "https://console.aws.amazon.com/cloudfront/v4/home#/distributions/{id}",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": "https://{region}.console.aws.amazon.com/ec2/home"
    "?region={region}#LoadBalancer:loadBalancerArn={id}",
    "AWS::ElasticLoadBalancingV2::TargetGroup": "https://{region}.console.aws.amazon.com/ec2/home"
    "?region={region}#TargetGroup:targetGroupArn={id}",
    "AWS::EC2::VPC": "https://{region}.console.aws.amazon.com/vpcconsole/home?region={region}#VpcDetails:VpcId={id}",
}

STACK_RESOURCE = (
    "https://{region}.console.aws.amazon.com/cloudformation/home?region={region}"
    "#/stacks/resources?stackId={stack}&filteringText={logical_id}"
)


def console_url(
    resource_type: str, physical_id: str, logical_id: str, region: str, stack_id: str, account: str = ""
) -> str:
    """The console link of one resource (see the module's docstring)."""
    pattern = PATTERNS.get(resource_type) if physical_id else None
    if pattern is None:
        return STACK_RESOURCE.format(
            region=region, stack=quote(stack_id, safe=""), logical_id=quote(logical_id, safe="")
        )
    # a rule on a bus other than the default one has the physical id BUS|RULE
    bus, _, rule = (
        physical_id.rpartition("|") if resource_type == "AWS::Events::Rule" else ("", "", physical_id)
    )
    name = rule.replace(":", "/").rstrip("/").rsplit("/", 1)[-1]
    # an ECS service's physical id is its ARN: arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME
    parts = physical_id.split("/")
    cluster = parts[-2] if len(parts) >= 3 else ""
    return pattern.format(
        id=quote(physical_id, safe=""),
        name=quote(name, safe=""),
        cluster=quote(cluster, safe=""),
        bus=quote(bus or "default", safe=""),
        logs_id=quote(quote(physical_id, safe=""), safe="").replace("%", "$"),
        region=region,
        account=account,
    )
