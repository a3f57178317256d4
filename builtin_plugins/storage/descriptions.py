"""What each property of the `bucket` type means (the descriptions editors show on hover and the config
reference lists)."""

from __future__ import annotations

_RULE = {
    "daysAfterUpload": "Days after an object is uploaded.",
    "daysAfterVersioned": "Days after a version stops being the current one.",
    "daysAfterInitiation": "Days after an upload was started.",
    "storageClass": "The storage class objects move to.",
    "prefix": "Only objects whose key starts with this.",
    "tags": "Only objects with all of these tags.",
}

DEFINITION_TEXTS: dict[str, dict[str, str]] = {
    "KeyValuePair": {"key": "The key (a tag or header name).", "value": "Its value."},
    "BucketLifecycleRule": _RULE,
    "BucketCdnConfiguration": {
        "rewriteRoutesForSinglePageApp": "Serve `index.html` for paths that are not files, for a "
        "single-page app's own routing.",
        "disableUrlNormalization": "Do not map `/about` to `/about.html` or `/about/index.html`.",
    },
}

BUCKET_TEXTS = {
    "directoryUpload": "Upload a folder's files into the bucket on every deploy; the bucket mirrors it.",
    "directoryUpload.directoryPath": "The folder, from the project root.",
    "directoryUpload.fileOptions": "Headers and tags for the files that match a pattern.",
    "directoryUpload.fileOptions.includePattern": "Glob pattern of the files these options apply to.",
    "directoryUpload.fileOptions.excludePattern": "Glob pattern of files to leave out of them.",
    "directoryUpload.fileOptions.headers": "HTTP headers served with the files (`Cache-Control`).",
    "directoryUpload.fileOptions.tags": "Tags given to the objects.",
    "directoryUpload.excludeFilesPatterns": "Glob patterns of files not to upload.",
    "directoryUpload.headersPreset": "Cache headers suited to a kind of static site.",
    "directoryUpload.disableS3TransferAcceleration": "Upload through the normal S3 endpoint, not the "
    "accelerated one.",
    "accessibility": "Who may read and write objects.",
    "accessibility.accessibilityMode": "`private` (default): only IAM-allowed callers; `public-read`: "
    "anyone may read; `public-read-write`: anyone may also write.",
    "accessibility.accessPolicyStatements": "Statements added to the bucket policy.",
    "accessibility.accessPolicyStatements.Principal": "Who the statement applies to.",
    "accessibility.accessPolicyStatements.Sid": "An identifier for the statement.",
    "accessibility.accessPolicyStatements.Effect": "`Allow` or `Deny`.",
    "accessibility.accessPolicyStatements.Action": "S3 actions (`s3:GetObject`).",
    "accessibility.accessPolicyStatements.Condition": "IAM condition block: operator → condition key → "
    "value(s).",
    "accessibility.accessPolicyStatements.Resource": "ARNs of the bucket or its objects the statement "
    "applies to.",
    "cors": "CORS settings, for browsers on other origins.",
    "cors.enabled": "Answer CORS requests.",
    "cors.corsRules": "The rules; the first that matches a request applies (default: any origin; GET, PUT, "
    "HEAD, POST and DELETE).",
    "cors.corsRules.allowedOrigins": "Origins allowed (`https://example.com`, `*`).",
    "cors.corsRules.allowedHeaders": "Request headers browsers may send.",
    "cors.corsRules.allowedMethods": "HTTP methods browsers may use.",
    "cors.corsRules.exposedResponseHeaders": "Response headers browser scripts may read.",
    "cors.corsRules.maxAge": "Seconds a browser may cache a preflight response.",
    "versioning": "Keep every version of every object.",
    "encryption": "Encrypt objects at rest with S3-managed keys.",
    "lifecycleRules": "Expire objects or move them to cheaper storage classes over time.",
    "enableEventBusNotifications": "Send the bucket's object events to the default EventBridge bus.",
    "cdn": "A CloudFront distribution in front of the bucket.",
}
