"""`saring broadcasts` subcommands (one module each; see saring.kernel.subcommands)."""
