"""The broadcast channels, each a `base.Sender` registered for its `Channel`."""
