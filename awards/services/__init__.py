"""The rules of titles, registrations, scoring, votes and decisions, one module a topic. Every change goes through here.

Each function checks its rule and raises ``AwardsError`` with the message for the user, changing
nothing; the pages only translate forms into calls. ``today``/``now`` parameters exist so the demo
can record the past and tests can move the clock. Import from the topic's module; this package
re-exports nothing.
"""
