"""awards models arrive with their feature issue."""
