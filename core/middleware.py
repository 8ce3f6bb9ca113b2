"""Bounds on the request itself, answered with the portal's own page rather than a bare server error."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# No form of the portal sends more: its longest text field (255 characters) percent-encoded is under 2,500.
MAX_QUERY_STRING_LENGTH = 4096


class QueryStringLimitMiddleware:
    """Answers a query string longer than MAX_QUERY_STRING_LENGTH with the portal's 414 page, before any view
    parses or searches it (gunicorn, which would answer with a bare page, is told to let such lines through)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING_LENGTH:
            return render(request, "414.html", status=414)
        return self.get_response(request)
