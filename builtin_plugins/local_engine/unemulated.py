"""CloudFormation resource types the local engine accepts in a template but does not create.

The engine skips them without a word; stackwright names them before a local deploy instead. A test
deploys each one to the engine and checks that it is indeed not created, so this list stays true.
"""

from __future__ import annotations

#: Types the engine fails on (it answers with an internal error): a local deploy is refused up front.
#: None of the types stackwright compiles today.
ENGINE_FAILS: frozenset[str] = frozenset()

UNEMULATED_TYPES: frozenset[str] = frozenset(
    {
        "AWS::SNS::Subscription",
        "AWS::Kinesis::StreamConsumer",
        "AWS::Logs::SubscriptionFilter",
        "AWS::ApiGatewayV2::Api",
        "AWS::ApiGatewayV2::VpcLink",
        "AWS::ApiGatewayV2::Stage",
        "AWS::ApiGatewayV2::Integration",
        "AWS::ApiGatewayV2::Route",
        "AWS::ApiGatewayV2::Authorizer",
        "AWS::ApiGatewayV2::DomainName",
        "AWS::ApiGatewayV2::ApiMapping",
        "AWS::Cognito::UserPool",
        "AWS::Cognito::UserPoolClient",
        "AWS::Cognito::UserPoolDomain",
        "AWS::Cognito::UserPoolUICustomizationAttachment",
        "AWS::ServiceDiscovery::PrivateDnsNamespace",
        "AWS::ServiceDiscovery::Service",
        "AWS::ApplicationAutoScaling::ScalableTarget",
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        "AWS::Lambda::Alias",
        "AWS::Lambda::Url",
        "AWS::SecretsManager::Secret",
        "AWS::ElastiCache::ReplicationGroup",
        "AWS::CloudWatch::Alarm",
        "AWS::ElasticLoadBalancingV2::ListenerCertificate",
        "AWS::CloudFront::Function",
        "AWS::CloudFront::CachePolicy",
    }
)


def unemulated_type(resource_type: str) -> bool:
    """Whether the engine skips resources of this type: the listed AWS types, and every third-party
    registry type (the engine has no CloudFormation registry)."""
    return resource_type in UNEMULATED_TYPES or not resource_type.startswith(("AWS::", "Custom::"))
