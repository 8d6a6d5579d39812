"""`saring guide` subcommands (one module each; see saring.kernel.subcommands)."""
