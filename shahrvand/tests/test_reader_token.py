"""A kept page's CSRF token is masked once a request (``kept_pages.reader_token``), and follows the
secret when it changes."""

from django.middleware.csrf import _unmask_cipher_token, rotate_token
from django.test import RequestFactory

from shahrvand import kept_pages


def test_one_token_a_request_and_a_new_one_for_a_new_secret():
    request = RequestFactory().get("/")
    first = kept_pages.reader_token(request)
    assert kept_pages.reader_token(request) == first
    secret = request.META["CSRF_COOKIE"]
    assert _unmask_cipher_token(first) == secret
    page = kept_pages.with_csrf_token(request, kept_pages.CSRF_MARK + b" " + kept_pages.CSRF_MARK)
    assert page == f"{first} {first}".encode()

    rotate_token(request)  # as signing in does
    rotated = kept_pages.reader_token(request)
    assert request.META["CSRF_COOKIE"] != secret
    assert _unmask_cipher_token(rotated) == request.META["CSRF_COOKIE"]

    other = RequestFactory().get("/")
    assert kept_pages.reader_token(other) != kept_pages.reader_token(request)
