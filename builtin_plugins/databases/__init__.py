"""Database resource types: relational databases, Redis clusters and DynamoDB tables."""
