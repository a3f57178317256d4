"""JSON Schema of the `user-auth-pool` type's properties (Stacktape's property names and enums)."""

from __future__ import annotations

from typing import Any

from stackwright import schema

from .descriptions import HOOKS, POOL_TEXTS

_obj, _strings = schema.obj, schema.strings


SCHEMA: dict[str, Any] = _obj(
    {
        "allowOnlyAdminsToCreateAccount": {"type": "boolean", "default": False},
        "unusedAccountValidityDays": {"type": "number", "minimum": 0, "maximum": 365, "default": 31},
        "requireEmailVerification": {"type": "boolean"},
        "requirePhoneNumberVerification": {"type": "boolean"},
        "enableHostedUi": {"type": "boolean", "default": False},
        "hostedUiDomainPrefix": {"type": "string"},
        "hostedUiCSS": {"type": "string"},
        "hooks": _obj({name: {"type": "string"} for name in HOOKS}),
        "emailConfiguration": _obj(
            {
                "sesAddressArn": {"type": "string"},
                "from": {"type": "string"},
                "replyToEmailAddress": {"type": "string"},
            }
        ),
        "inviteMessageConfig": _obj(
            {
                "emailMessage": {"type": "string"},
                "emailSubject": {"type": "string"},
                "smsMessage": {"type": "string"},
            }
        ),
        "userVerificationType": {"type": "string", "enum": ["email-code", "email-link", "none", "sms"]},
        "userVerificationMessageConfig": _obj(
            {
                "emailMessageUsingCode": {"type": "string"},
                "emailMessageUsingLink": {"type": "string"},
                "emailSubjectUsingCode": {"type": "string"},
                "emailSubjectUsingLink": {"type": "string"},
                "smsMessage": {"type": "string"},
            }
        ),
        "mfaConfiguration": _obj(
            {
                "status": {"type": "string", "enum": ["OFF", "ON", "OPTIONAL"]},
                "enabledTypes": {
                    "type": "array",
                    "items": {"type": "string", "enum": ["SMS", "SOFTWARE_TOKEN"]},
                },
            }
        ),
        "passwordPolicy": _obj(
            {
                "minimumLength": {"type": "number", "minimum": 6, "maximum": 99},
                "requireLowercase": {"type": "boolean"},
                "requireNumbers": {"type": "boolean"},
                "requireSymbols": {"type": "boolean"},
                "requireUppercase": {"type": "boolean"},
                "temporaryPasswordValidityDays": {"type": "number", "minimum": 0, "maximum": 365},
            }
        ),
        "schema": {
            "type": "array",
            "items": _obj(
                {
                    "name": {"type": "string"},
                    "attributeDataType": {
                        "type": "string",
                        "enum": ["String", "Number", "DateTime", "Boolean"],
                    },
                    "developerOnlyAttribute": {"type": "boolean"},
                    "mutable": {"type": "boolean"},
                    "required": {"type": "boolean"},
                    "numberMaxValue": {"type": "number"},
                    "numberMinValue": {"type": "number"},
                    "stringMaxLength": {"type": "number"},
                    "stringMinLength": {"type": "number"},
                },
                "name",  # Cognito names every attribute (SchemaAttribute.Name)
            ),
        },
        "allowPhoneNumberAsUserName": {"type": "boolean", "default": True},
        "allowEmailAsUserName": {"type": "boolean", "default": True},
        "accessTokenValiditySeconds": {"type": "number", "minimum": 300, "maximum": 86400},
        "idTokenValiditySeconds": {"type": "number", "minimum": 300, "maximum": 86400},
        "refreshTokenValidityDays": {"type": "number", "minimum": 1, "maximum": 3650},
        "allowedOAuthFlows": {
            "type": "array",
            "items": {"type": "string", "enum": ["code", "implicit", "client_credentials"]},
        },
        "allowedOAuthScopes": _strings(),
        "callbackURLs": _strings(),
        "logoutURLs": _strings(),
        "identityProviders": {"type": "array", "items": {"type": "object"}},
        "useFirewall": {"type": "string"},
        "customDomain": _obj(
            {
                "domainName": {"type": "string"},
                "customCertificateArn": {"type": "string"},
                "disableDnsRecordCreation": {"type": "boolean"},
            },
            "domainName",
        ),
        "generateClientSecret": {"type": "boolean", "default": False},
        "allowOnlyExternalIdentityProviders": {"type": "boolean", "default": False},
    }
)

schema.describe(SCHEMA, POOL_TEXTS)

#: Properties the schema accepts (so Stacktape configs validate) but no compiler handles yet.
_PROVIDERS = "remove it: external identity providers are not supported yet"
schema.refuse(
    SCHEMA,
    {
        "hooks": "remove it: Lambda triggers of a user pool are not supported yet",
        "identityProviders": _PROVIDERS,
        "allowOnlyExternalIdentityProviders": _PROVIDERS,
        "useFirewall": "remove it: a web application firewall is not supported yet",
        "customDomain": "remove it: the hosted UI is served on its Cognito domain",
        "requirePhoneNumberVerification": "remove it: SMS verification (it needs an SNS role for Cognito) is "
        "not supported yet",
    },
)
schema.refuse(
    SCHEMA,
    {
        "mfaConfiguration.enabledTypes": (
            "use `[SOFTWARE_TOKEN]`: SMS codes (they need an SNS role for Cognito) are not supported yet",
            (["SOFTWARE_TOKEN"],),
        ),
    },
)
