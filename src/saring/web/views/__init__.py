"""Thin views: read through querysets/reports, write through services."""
