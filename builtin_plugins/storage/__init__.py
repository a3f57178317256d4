"""Storage resource types: S3 buckets."""
