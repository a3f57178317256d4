"""The `stackwright` command line."""
