"""Admin for guide content, subscriptions and builds (writes go through the services)."""
