"""API resource types: HTTP API Gateways."""
