"""Every write of the guide context (each one checks the acting scope)."""
