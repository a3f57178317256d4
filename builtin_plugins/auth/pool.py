"""Compile a `user-auth-pool`: a Cognito user pool, its app client and (with the hosted UI) its domain."""

from __future__ import annotations

from typing import Any

from stackwright import Connection, Resource, StackContext, get_att, number, ref, sub

#: What a connectTo grants on the pool: manage its users and groups as an administrator. Stacktape grants
#: `cognito-idp:*`; the pool's own settings and its deletion are left out here.
POOL_ACTIONS = [
    "cognito-idp:AdminAddUserToGroup",
    "cognito-idp:AdminConfirmSignUp",
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminDeleteUser",
    "cognito-idp:AdminDeleteUserAttributes",
    "cognito-idp:AdminDisableUser",
    "cognito-idp:AdminEnableUser",
    "cognito-idp:AdminGetUser",
    "cognito-idp:AdminInitiateAuth",
    "cognito-idp:AdminListGroupsForUser",
    "cognito-idp:AdminRemoveUserFromGroup",
    "cognito-idp:AdminResetUserPassword",
    "cognito-idp:AdminRespondToAuthChallenge",
    "cognito-idp:AdminSetUserPassword",
    "cognito-idp:AdminUpdateUserAttributes",
    "cognito-idp:AdminUserGlobalSignOut",
    "cognito-idp:DescribeUserPool",
    "cognito-idp:DescribeUserPoolClient",
    "cognito-idp:GetGroup",
    "cognito-idp:ListGroups",
    "cognito-idp:ListUsers",
    "cognito-idp:ListUsersInGroup",
]


def ids(ctx: StackContext, name: str) -> dict[str, str]:
    return {part: ctx.logical_id(name, part) for part in ("UserPool", "UserPoolClient", "UserPoolDomain")}


def compile_pool(ctx: StackContext, resource: Resource) -> None:
    props = resource.properties
    at = ("resources", resource.name, "properties")
    verification = props.get("userVerificationType", "email-code")
    if verification == "sms":
        ctx.fail(
            (*at, "userVerificationType"),
            "SMS messages of a user-auth-pool (they need an SNS role for Cognito) are not "
            "supported by the installed plugins yet",
        )
    names = ids(ctx, resource.name)
    pool: dict[str, Any] = {
        "UserPoolName": ctx.physical_name(resource.name, "cognito"),
        "AdminCreateUserConfig": _admin_create(props),
        "UsernameAttributes": [
            attribute
            for attribute, key in (
                ("email", "allowEmailAsUserName"),
                ("phone_number", "allowPhoneNumberAsUserName"),
            )
            if props.get(key, True)
        ],
    }
    if verification != "none" or props.get("requireEmailVerification"):
        pool["AutoVerifiedAttributes"] = ["email"]
        pool["VerificationMessageTemplate"] = _verification(props, verification)
    policy = props.get("passwordPolicy") or {}
    if policy or "unusedAccountValidityDays" in props:
        pool["Policies"] = {"PasswordPolicy": _password(policy, props)}
    mfa = props.get("mfaConfiguration") or {}
    if mfa.get("status") and mfa["status"] != "OFF":
        pool["MfaConfiguration"] = mfa["status"]
        pool["EnabledMfas"] = ["SOFTWARE_TOKEN_MFA"]
    if props.get("schema"):
        pool["Schema"] = [_attribute(a) for a in props["schema"]]
    email = props.get("emailConfiguration") or {}
    if email:
        pool["EmailConfiguration"] = {
            "EmailSendingAccount": "DEVELOPER" if email.get("sesAddressArn") else "COGNITO_DEFAULT",
            **({"SourceArn": email["sesAddressArn"]} if email.get("sesAddressArn") else {}),
            **({"From": email["from"]} if email.get("from") else {}),
            **(
                {"ReplyToEmailAddress": email["replyToEmailAddress"]}
                if email.get("replyToEmailAddress")
                else {}
            ),
        }
    ctx.template.add_resource(names["UserPool"], "AWS::Cognito::UserPool", pool, owner=resource.name)
    ctx.template.add_resource(
        names["UserPoolClient"],
        "AWS::Cognito::UserPoolClient",
        _client(ctx, resource, names),
        owner=resource.name,
    )
    if props.get("enableHostedUi"):
        prefix = props.get("hostedUiDomainPrefix") or ctx.physical_name(resource.name, "cognito").lower()
        ctx.template.add_resource(
            names["UserPoolDomain"],
            "AWS::Cognito::UserPoolDomain",
            {"Domain": prefix, "UserPoolId": ref(names["UserPool"])},
            owner=resource.name,
        )
        if props.get("hostedUiCSS"):
            ctx.template.add_resource(
                ctx.logical_id(resource.name, "UserPoolUiCustomization"),
                "AWS::Cognito::UserPoolUICustomizationAttachment",
                {"UserPoolId": ref(names["UserPool"]), "ClientId": "ALL", "CSS": props["hostedUiCSS"]},
                owner=resource.name,
                DependsOn=[names["UserPoolDomain"]],
            )
    elif props.get("hostedUiCSS") or props.get("hostedUiDomainPrefix"):
        key = "hostedUiCSS" if props.get("hostedUiCSS") else "hostedUiDomainPrefix"
        ctx.fail((*at, key), f"{key} applies to the hosted UI", hint="set enableHostedUi: true")


def _admin_create(props: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = {"AllowAdminCreateUserOnly": bool(props.get("allowOnlyAdminsToCreateAccount"))}
    invite = props.get("inviteMessageConfig") or {}
    template = {
        field: invite[key]
        for key, field in (
            ("emailMessage", "EmailMessage"),
            ("emailSubject", "EmailSubject"),
            ("smsMessage", "SMSMessage"),
        )
        if invite.get(key)
    }
    if template:
        config["InviteMessageTemplate"] = template
    return config


def _verification(props: dict[str, Any], verification: str) -> dict[str, Any]:
    messages = props.get("userVerificationMessageConfig") or {}
    template: dict[str, Any] = {
        "DefaultEmailOption": "CONFIRM_WITH_LINK" if verification == "email-link" else "CONFIRM_WITH_CODE"
    }
    for key, field in (
        ("emailMessageUsingCode", "EmailMessage"),
        ("emailSubjectUsingCode", "EmailSubject"),
        ("emailMessageUsingLink", "EmailMessageByLink"),
        ("emailSubjectUsingLink", "EmailSubjectByLink"),
        ("smsMessage", "SmsMessage"),
    ):
        if messages.get(key):
            template[field] = messages[key]
    return template


def _password(policy: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, field in (
        ("minimumLength", "MinimumLength"),
        ("requireLowercase", "RequireLowercase"),
        ("requireNumbers", "RequireNumbers"),
        ("requireSymbols", "RequireSymbols"),
        ("requireUppercase", "RequireUppercase"),
    ):
        if key in policy:
            out[field] = number(policy[key]) if key == "minimumLength" else bool(policy[key])
    days = policy.get("temporaryPasswordValidityDays", props.get("unusedAccountValidityDays"))
    if days is not None:
        out["TemporaryPasswordValidityDays"] = number(days)
    return out


def _attribute(attribute: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"Name": attribute["name"]}
    for key, field in (
        ("attributeDataType", "AttributeDataType"),
        ("developerOnlyAttribute", "DeveloperOnlyAttribute"),
        ("mutable", "Mutable"),
        ("required", "Required"),
    ):
        if key in attribute:
            out[field] = attribute[key]
    numbers = {k: str(attribute[k]) for k in ("numberMinValue", "numberMaxValue") if k in attribute}
    if numbers:
        out["NumberAttributeConstraints"] = {k.replace("number", ""): v for k, v in numbers.items()}
    strings = {k: str(attribute[k]) for k in ("stringMinLength", "stringMaxLength") if k in attribute}
    if strings:
        out["StringAttributeConstraints"] = {k.replace("string", ""): v for k, v in strings.items()}
    return out


def _client(ctx: StackContext, resource: Resource, names: dict[str, str]) -> dict[str, Any]:
    props = resource.properties
    client: dict[str, Any] = {
        "UserPoolId": ref(names["UserPool"]),
        "ClientName": ctx.physical_name(resource.name, "cognito", "client"),
        "GenerateSecret": bool(props.get("generateClientSecret")),
        "ExplicitAuthFlows": [
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        ],
        "PreventUserExistenceErrors": "ENABLED",
        "SupportedIdentityProviders": ["COGNITO"],
    }
    flows = props.get("allowedOAuthFlows") or []
    if flows:
        client |= {
            "AllowedOAuthFlowsUserPoolClient": True,
            "AllowedOAuthFlows": flows,
            "AllowedOAuthScopes": props.get("allowedOAuthScopes") or ["openid", "email", "profile"],
        }
    for key, field in (("callbackURLs", "CallbackURLs"), ("logoutURLs", "LogoutURLs")):
        if props.get(key):
            client[field] = props[key]
    units: dict[str, str] = {}
    for key, field, unit in (
        ("accessTokenValiditySeconds", "AccessToken", "seconds"),
        ("idTokenValiditySeconds", "IdToken", "seconds"),
        ("refreshTokenValidityDays", "RefreshToken", "days"),
    ):
        if key in props:
            client[f"{field}Validity"] = number(props[key])
            units[field] = unit
    if units:
        client["TokenValidityUnits"] = units
    return client


def pool_params(ctx: StackContext, resource: Resource) -> dict[str, Any]:
    """`id`, `clientId`, `arn`, `providerUrl` (the JWT issuer), and `domain` with the hosted UI and
    `clientSecret` with a generated secret (Stacktape's referenceable params of a user pool)."""
    names = ids(ctx, resource.name)
    params: dict[str, Any] = {
        "id": ref(names["UserPool"]),
        "clientId": ref(names["UserPoolClient"]),
        "arn": get_att(names["UserPool"], "Arn"),
        "providerUrl": get_att(names["UserPool"], "ProviderURL"),
    }
    if resource.properties.get("enableHostedUi"):
        params["domain"] = sub("${" + names["UserPoolDomain"] + "}.auth.${AWS::Region}.amazoncognito.com")
    if resource.properties.get("generateClientSecret"):
        params["clientSecret"] = get_att(names["UserPoolClient"], "ClientSecret")
    return params


def pool_connection(ctx: StackContext, resource: Resource) -> Connection:
    params = pool_params(ctx, resource)
    variables = {
        "id": "ID",
        "clientId": "CLIENT_ID",
        "arn": "ARN",
        "providerUrl": "PROVIDER_URL",
        "domain": "DOMAIN",
        "clientSecret": "CLIENT_SECRET",
    }
    return Connection(
        target=resource,
        statements=[{"Effect": "Allow", "Action": POOL_ACTIONS, "Resource": [params["arn"]]}],
        environment={variables[k]: v for k, v in params.items()},
    )
