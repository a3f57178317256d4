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
    "DirectoryUploadFilter": {
        "includePattern": "Pattern of the files these options apply to, as in .gitignore (`*.html` at any "
        "depth, `assets/**` from the folder's root).",
        "excludePattern": "Pattern of files to leave out of them.",
        "headers": "HTTP headers served with the files: Cache-Control, Content-Type, Content-Disposition, "
        "Content-Encoding, Content-Language or Expires.",
        "tags": "Tags given to the objects (lifecycle rules can select by them).",
    },
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
    "directoryUpload.excludeFilesPatterns": "Patterns of files not to upload, as in .gitignore (`**/*.map`).",
    "directoryUpload.headersPreset": "Cache-Control headers suited to a kind of static site (as a hosting "
    "bucket's `hostingContentType`); none when left out.",
    "directoryUpload.disableS3TransferAcceleration": "Accepted for Stacktape configs: stackwright always "
    "uploads through the normal S3 endpoint.",
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
    "cdn": "A CloudFront distribution in front of the bucket, which only it may read.",
}

HOSTING_TEXTS = {
    "uploadDirectoryPath": "The folder of the built site, from the project root; the bucket mirrors it.",
    "build": "A command that builds the site into `uploadDirectoryPath`, run on every deploy before the "
    "upload.",
    "build.command": "The command, run in a shell (`npm run build`).",
    "build.workingDirectory": "Where it runs, from the project root (default `.`).",
    "dev": "A dev server command, for Stacktape's dev mode (not supported).",
    "dev.command": "The command.",
    "dev.workingDirectory": "Where it runs.",
    "excludeFilesPatterns": "Patterns of files not to upload, as in .gitignore (`**/*.map`).",
    "hostingContentType": "The caching preset: `static-website` (default: CloudFront keeps files until "
    "a deploy changes them, browsers always ask again), `single-page-app` (every route serves the index; "
    "`.js`, `.css` and `assets/` cached for a year), or a framework's preset that caches its hashed build "
    "folder for a year.",
    "customDomains": "Domain names the site answers on, each with an ACM certificate from us-east-1.",
    "disableUrlNormalization": "Do not map `/about` to `/about.html` or `/about/index.html`.",
    "edgeFunctions": "Edge functions run on requests and responses (not supported yet).",
    "edgeFunctions.onRequest": "Run when a viewer request arrives.",
    "edgeFunctions.onResponse": "Run before the response goes to the viewer.",
    "edgeFunctions.onOriginRequest": "Run before a request goes to the bucket.",
    "edgeFunctions.onOriginResponse": "Run when the bucket's response arrives.",
    "errorDocument": "Page served, with status 404, for a path that has no file (`/404.html`).",
    "indexDocument": "Page served for `/` (default `/index.html`).",
    "injectEnvironment": "Values every HTML file gets as `window.STP_INJECTED_ENV.<name>`, worked out at "
    "deploy time (`$ResourceParam` allowed).",
    "writeDotenvFilesTo": "A folder whose `.env` file gets the `injectEnvironment` values too (its other "
    "lines are kept).",
    "useFirewall": "Name of a `web-app-firewall` in front of the site (not supported yet).",
    "fileOptions": "Headers and tags for the files that match a pattern; they win over the preset.",
    "routeRewrites": "Paths served by other origins (not supported yet).",
}
