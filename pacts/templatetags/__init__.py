"""Template tags and filters of the pacts app."""
