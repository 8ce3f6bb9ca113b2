"""Reads of the awards app, one module a topic; import from the topic's module."""
