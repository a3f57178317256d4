"""Reading configs: files with positions, directives, the assembled schema, and error messages."""
