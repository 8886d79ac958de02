"""UI metadata for this app's objects (registered in ready())."""
