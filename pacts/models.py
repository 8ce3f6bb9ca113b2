"""pacts models arrive with their feature issue."""
