"""Every write of the monitoring context (views, commands and tasks call these)."""
