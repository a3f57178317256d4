"""The CloudFormation resource handlers of `Upstash::DatabasesV1::Database` (run by CloudFormation in
AWS Lambda, Python 3.12, with AWS's cloudformation-cli-python-lib)."""
