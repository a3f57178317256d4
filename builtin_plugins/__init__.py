"""Built-in plugins: ordinary plugins registered by name, using only the public hooks."""
