"""What each property of the `user-auth-pool` type means (the descriptions editors show on hover and the
config reference lists)."""

from __future__ import annotations

_HOOK = "Name of the `function` resource Cognito runs {when}."

POOL_TEXTS = {
    "allowOnlyAdminsToCreateAccount": "Only administrators create accounts; users cannot sign themselves up.",
    "unusedAccountValidityDays": "Days a temporary password of an account an administrator created stays "
    "valid (default 31).",
    "requireEmailVerification": "Users confirm their email address with a code before they can sign in.",
    "requirePhoneNumberVerification": "Users confirm their phone number by SMS (not supported yet).",
    "enableHostedUi": "Serve Cognito's sign-in pages on the domain `hostedUiDomainPrefix` names.",
    "hostedUiDomainPrefix": "The domain prefix of the hosted sign-in pages (unique in the region).",
    "hostedUiCSS": "CSS for the hosted sign-in pages.",
    "hooks": "Functions Cognito runs at points of the sign-up and sign-in flows (not supported yet).",
    **{
        f"hooks.{name}": _HOOK.format(when=name)
        for name in (
            "customMessage",
            "postAuthentication",
            "postConfirmation",
            "preAuthentication",
            "preSignUp",
            "preTokenGeneration",
            "userMigration",
            "createAuthChallenge",
            "defineAuthChallenge",
            "verifyAuthChallengeResponse",
        )
    },
    "emailConfiguration": "Send Cognito's emails through your SES identity instead of Cognito's own sender.",
    "emailConfiguration.sesAddressArn": "ARN of the verified SES identity to send from.",
    "emailConfiguration.from": "The From address (`Example <no-reply@example.com>`).",
    "emailConfiguration.replyToEmailAddress": "The Reply-To address.",
    "inviteMessageConfig": "The message an administrator-created user receives.",
    "inviteMessageConfig.emailMessage": "Email body; must hold `{username}` and `{####}` (the password).",
    "inviteMessageConfig.emailSubject": "Email subject.",
    "inviteMessageConfig.smsMessage": "SMS text; must hold `{username}` and `{####}`.",
    "userVerificationType": "How users confirm their address: `email-code` (default), `email-link`, `sms` "
    "(not supported yet) or `none`.",
    "userVerificationMessageConfig": "The verification messages.",
    "userVerificationMessageConfig.emailMessageUsingCode": "Email body with the code (`{####}`).",
    "userVerificationMessageConfig.emailMessageUsingLink": "Email body with the link (`{##Verify Email##}`).",
    "userVerificationMessageConfig.emailSubjectUsingCode": "Email subject when verifying with a code.",
    "userVerificationMessageConfig.emailSubjectUsingLink": "Email subject when verifying with a link.",
    "userVerificationMessageConfig.smsMessage": "SMS text with the code (`{####}`).",
    "mfaConfiguration": "Multi-factor authentication.",
    "mfaConfiguration.status": "`OFF` (default), `ON` (every user) or `OPTIONAL` (users choose).",
    "mfaConfiguration.enabledTypes": "The second factors offered: `SOFTWARE_TOKEN` (an authenticator app); "
    "`SMS` is not supported yet.",
    "passwordPolicy": "What passwords must contain.",
    "passwordPolicy.minimumLength": "Fewest characters (6 to 99, default 8).",
    "passwordPolicy.requireLowercase": "At least one lower-case letter.",
    "passwordPolicy.requireNumbers": "At least one digit.",
    "passwordPolicy.requireSymbols": "At least one symbol.",
    "passwordPolicy.requireUppercase": "At least one upper-case letter.",
    "passwordPolicy.temporaryPasswordValidityDays": "Days a temporary password stays valid.",
    "schema": "Custom user attributes (stored as `custom:<name>`).",
    "schema.name": "The attribute's name.",
    "schema.attributeDataType": "`String`, `Number`, `DateTime` or `Boolean`.",
    "schema.developerOnlyAttribute": "Only administrators (with IAM credentials) may read and write it.",
    "schema.mutable": "Users may change it after sign-up.",
    "schema.required": "It must be given at sign-up (standard attributes only).",
    "schema.numberMaxValue": "Largest value of a `Number` attribute.",
    "schema.numberMinValue": "Smallest value of a `Number` attribute.",
    "schema.stringMaxLength": "Longest value of a `String` attribute.",
    "schema.stringMinLength": "Shortest value of a `String` attribute.",
    "allowPhoneNumberAsUserName": "Users may sign in with their phone number (default true).",
    "allowEmailAsUserName": "Users may sign in with their email address (default true).",
    "accessTokenValiditySeconds": "Seconds an access token is valid (300 to 86,400, default 3,600).",
    "idTokenValiditySeconds": "Seconds an ID token is valid (300 to 86,400, default 3,600).",
    "refreshTokenValidityDays": "Days a refresh token is valid (1 to 3,650, default 30).",
    "allowedOAuthFlows": "OAuth flows of the app client: `code`, `implicit`, `client_credentials`.",
    "allowedOAuthScopes": "OAuth scopes the app client may ask for (`openid`, `email`, `profile`).",
    "callbackURLs": "Where the hosted UI may send users after sign-in.",
    "logoutURLs": "Where the hosted UI may send users after sign-out.",
    "identityProviders": "External identity providers: Google, Facebook, SAML... (not supported yet).",
    "useFirewall": "Name of a `web-app-firewall` resource protecting the pool (not supported yet).",
    "customDomain": "Your own domain for the hosted UI (not supported yet).",
    "customDomain.domainName": "The domain (`auth.example.com`).",
    "customDomain.customCertificateArn": "ARN of its ACM certificate in us-east-1.",
    "customDomain.disableDnsRecordCreation": "Do not create the DNS record.",
    "generateClientSecret": "Give the app client a secret (for server-side apps).",
    "allowOnlyExternalIdentityProviders": "Sign in through external identity providers only (not supported "
    "yet).",
}
