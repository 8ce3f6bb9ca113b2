"""Answers kept for the length of one request. A page asks some questions many times over (has any unit a
name taking effect after that day? asked by every list of names of that day): inside a request, the first
answer serves the others. Outside a request (a worker's task, a command, a test calling selectors) nothing is
kept, so no answer outlives the request that read it."""

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps

_answers: ContextVar[dict | None] = ContextVar("request_answers", default=None)


def once_per_request(function: Callable) -> Callable:
    """Keeps ``function``'s answer for its arguments (hashable) until the request ends."""

    @wraps(function)
    def answer(*args):
        kept = _answers.get()
        if kept is None:
            return function(*args)
        key = (function.__qualname__, args)
        if key not in kept:
            kept[key] = function(*args)
        return kept[key]

    return answer


class RequestAnswersMiddleware:
    """Opens the request's store of answers and drops it when the response is made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _answers.set({})
        try:
            return self.get_response(request)
        finally:
            _answers.reset(token)
