"""The span of years the portal keeps records for: a year outside it is a typing mistake, not a record."""

FIRST_YEAR = 2000
LAST_YEAR = 2100
