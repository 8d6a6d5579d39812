"""Every write of the broadcasts context (each one checks the acting scope)."""
