"""Forms of the awards pages, one module per module of ``awards.views``."""
