"""CloudFront distributions and origin access controls for the engine's CloudFormation.

The engine's CloudFront API keeps distributions, origin access controls and invalidations, but its
CloudFormation does not create them. These models make it: a distribution from the template's
`DistributionConfig` (lists turned into the API's `Quantity`/`Items` shape), with `Id` and `DomainName`
to read; an origin access control with its `Id`. Edge function associations and error responses are kept
by CloudFormation's template only (the engine serves no requests).
"""

from __future__ import annotations

from typing import Any

#: The types these models create.
TYPES = ("AWS::CloudFront::Distribution", "AWS::CloudFront::OriginAccessControl")
#: The model classes, once made (the engine finds them as subclasses, which it holds only weakly).
_TAUGHT: list[type] = []


def _items(values: list[Any]) -> dict[str, Any]:
    return {"Quantity": len(values), "Items": values}


def api_config(config: dict[str, Any], caller_reference: str) -> dict[str, Any]:
    """A template's `DistributionConfig` in the shape of the CloudFront API's request."""
    behavior = dict(config["DefaultCacheBehavior"])
    methods = behavior.pop("AllowedMethods", ["GET", "HEAD"])
    cached = behavior.pop("CachedMethods", ["GET", "HEAD"])
    behavior["AllowedMethods"] = {**_items(methods), "CachedMethods": _items(cached)}
    behavior.pop("FunctionAssociations", None)
    out: dict[str, Any] = {
        "CallerReference": caller_reference,
        "Comment": config.get("Comment", ""),
        "Enabled": config.get("Enabled", True),
        "DefaultRootObject": config.get("DefaultRootObject", ""),
        "Origins": _items([dict(origin) for origin in config["Origins"]]),
        "DefaultCacheBehavior": behavior,
        "HttpVersion": config.get("HttpVersion", "http2"),
        "PriceClass": config.get("PriceClass", "PriceClass_All"),
    }
    if config.get("Aliases"):
        out["Aliases"] = {"Items": list(config["Aliases"])}
    certificate = config.get("ViewerCertificate")
    if certificate:  # the template's names are not the API's
        out["ViewerCertificate"] = {
            "CloudFrontDefaultCertificate": bool(certificate.get("CloudFrontDefaultCertificate", False)),
            "ACMCertificateArn": certificate.get("AcmCertificateArn", ""),
            "IAMCertificateId": certificate.get("IamCertificateId", ""),
            "SSLSupportMethod": certificate.get("SslSupportMethod", "sni-only"),
            "MinimumProtocolVersion": certificate.get("MinimumProtocolVersion", "TLSv1"),
        }
    return out


def teach_cloudfront() -> None:
    """Register the models with the engine's CloudFormation (once)."""
    if _TAUGHT:
        return
    from moto.cloudformation import parsing
    from moto.cloudfront.models import DistributionConfig, cloudfront_backends
    from moto.core.common_models import CloudFormationModel
    from moto.utilities.utils import get_partition

    def backend(account_id: str, region_name: str) -> Any:
        return cloudfront_backends[account_id][get_partition(region_name)]

    class Distribution(CloudFormationModel):
        def __init__(self, distribution: Any, account_id: str, region_name: str) -> None:
            self.distribution = distribution
            self.account_id, self.region_name = account_id, region_name

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::CloudFront::Distribution"

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return attr in ("Id", "DomainName")

        @property
        def physical_resource_id(self) -> str:
            return str(self.distribution.distribution_id)

        def get_cfn_attribute(self, attribute_name: str) -> Any:
            if attribute_name == "DomainName":
                return self.distribution.domain_name
            return self.distribution.distribution_id

        @classmethod
        def create_from_cloudformation_json(
            cls,
            resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
            **kwargs: Any,
        ) -> Distribution:
            reference = f"{kwargs.get('StackId', '')}/{kwargs.get('LogicalId', resource_name)}"
            config = api_config(cloudformation_json["Properties"]["DistributionConfig"], reference)
            found, _, _ = backend(account_id, region_name).create_distribution(config, [])
            return cls(found, account_id, region_name)

        @classmethod
        def update_from_cloudformation_json(
            cls,
            original_resource: Distribution,
            new_resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
        ) -> Distribution:
            distribution = original_resource.distribution
            reference = distribution.distribution_config.caller_reference
            config = api_config(cloudformation_json["Properties"]["DistributionConfig"], reference)
            distribution.distribution_config = DistributionConfig(config)
            return original_resource

        def delete(self, account_id: str, region_name: str) -> None:
            backend(account_id, region_name).distributions.pop(self.distribution.distribution_id, None)

    class OriginAccessControl(CloudFormationModel):
        def __init__(self, control: Any) -> None:
            self.control = control

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::CloudFront::OriginAccessControl"

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return attr == "Id"

        @property
        def physical_resource_id(self) -> str:
            return str(self.control.id)

        def get_cfn_attribute(self, attribute_name: str) -> Any:
            return self.control.id

        @classmethod
        def create_from_cloudformation_json(
            cls,
            resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
            **kwargs: Any,
        ) -> OriginAccessControl:
            config = cloudformation_json["Properties"]["OriginAccessControlConfig"]
            return cls(backend(account_id, region_name).create_origin_access_control(dict(config)))

        @classmethod
        def update_from_cloudformation_json(
            cls,
            original_resource: OriginAccessControl,
            new_resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
        ) -> OriginAccessControl:
            original_resource.control.update(
                dict(cloudformation_json["Properties"]["OriginAccessControlConfig"])
            )
            return original_resource

        def delete(self, account_id: str, region_name: str) -> None:
            backend(account_id, region_name).origin_access_controls.pop(self.control.id, None)

    _TAUGHT.extend([Distribution, OriginAccessControl])
    parsing.get_model_list.cache_clear()
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()
