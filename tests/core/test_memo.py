"""Answers kept for one request only."""

from core.memo import RequestAnswersMiddleware, once_per_request

calls = []


@once_per_request
def asked(day: int) -> int:
    calls.append(day)
    return day * 2


def test_inside_a_request_each_answer_is_read_once_and_dropped_with_the_request():
    calls.clear()

    def view(request):
        return [asked(1), asked(1), asked(2), asked(1)]

    middleware = RequestAnswersMiddleware(view)
    assert middleware(object()) == [2, 2, 4, 2]
    assert calls == [1, 2]
    assert middleware(object()) == [2, 2, 4, 2]  # the next request asks again
    assert calls == [1, 2, 1, 2]


def test_outside_a_request_nothing_is_kept():
    calls.clear()
    assert [asked(3), asked(3)] == [6, 6]
    assert calls == [3, 3]
