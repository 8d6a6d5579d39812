"""Background jobs of the guide, run by `saring worker`; each calls what a `saring guide …`
command calls."""
