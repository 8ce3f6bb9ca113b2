"""The outbox: every e-mail the portal sends, written as a row with the change that causes it."""
