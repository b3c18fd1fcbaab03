"""List searches that may carry a national ID or a mobile number never put the term in a URL.

A URL ends up in browser history, in the server's access log and in the Referer of the next page,
so the filter form of such a list is POSTed (with its CSRF token). The search term is kept in the
session under a short random token, and the browser is sent on (post/redirect/get) to the list with
the other filters, which identify nobody, and that token: ``/staff/?status=all&s=Xq3v9kPb``.
Pagination links carry the token, never the term; a term found in a URL (``?q=``) is not applied
and is dropped from it by a redirect. A token the session does not know (signed out, another
browser, an old bookmark) applies no search.

Each list keeps the last few terms, so two tabs with two searches both keep working.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponseRedirect, QueryDict

TOKEN_PARAM = "s"
SESSION_KEY = "list_search_terms"
TERMS_KEPT_PER_LIST = 5
# Longer than any term a list finds anything by; a longer one is answered directly, not kept.
TERM_MAX_KEPT = 256


@dataclass
class ListSearch:
    form: forms.Form
    # After a valid POST: where the browser goes next. The view returns it as it is.
    redirect: HttpResponseRedirect | None
    # The list's query without "page", for pagination links: filters and the token.
    query: str
    # The same without the search term, for a "clear the search" link.
    clear_query: str
    term: str


def list_search(
    request: HttpRequest,
    *,
    list_key: str,
    form_class: type[forms.Form],
    term_field: str = "q",
    **kw,
) -> ListSearch:
    """Bind the list's filter form: from a POST (then redirect), or from the URL plus the session.

    ``list_key`` names the list in the session ("review-queue", "office-queue:7"). The form is
    bound only when there is something to filter by, so an unfiltered list shows its defaults.
    """
    if request.method == "POST":
        form = form_class(request.POST, **kw)
        if not form.is_valid():
            # Shown again with its messages and everything typed; the list is not filtered.
            return ListSearch(form, None, "", "", "")
        filters = _filters(request.POST, form.fields, term_field, form.cleaned_data)
        term = str(form.data.get(term_field, "")).strip()
        if len(term) > TERM_MAX_KEPT:
            # A forged megabyte of "search" is not written into the session: the list is shown
            # for it as posted (the URL stays the list's own), with no pages to follow.
            return ListSearch(form, None, "", "", term)
        if term:
            filters[TOKEN_PARAM] = _remember(request, list_key, term)
        return ListSearch(form, _to_list(request, filters), "", "", term)

    # The declared fields name the filters: no form is built for that alone.
    filters = _filters(request.GET, form_class.base_fields, term_field)
    if term_field in request.GET:
        # An old bookmark or a hand-made link: the term is not applied, and the address bar (and
        # every link the page builds from it) loses it at once.
        kept = request.GET.copy()
        del kept[term_field]
        return ListSearch(form_class(**kw), _to_list(request, kept), "", "", "")
    term = _recall(request, list_key, request.GET.get(TOKEN_PARAM, ""))
    clear_query = filters.urlencode()
    data = filters.copy()
    if term:
        data[term_field] = term
    form = form_class(data or None, **kw)
    if term:
        filters[TOKEN_PARAM] = request.GET[TOKEN_PARAM]
    return ListSearch(form, None, filters.urlencode(), clear_query, term)


def _to_list(request: HttpRequest, query: QueryDict) -> HttpResponseRedirect:
    return HttpResponseRedirect(request.path + (f"?{query.urlencode()}" if query else ""))


def _filters(data: QueryDict, fields, term_field: str, cleaned: dict | None = None) -> QueryDict:
    """The form's other fields (non-empty ones): they identify nobody and stay in the URL. After a
    valid POST only values the form accepted (``cleaned``) go on (a choice, a boolean), never a
    long raw value."""
    cleaned = cleaned or {}
    filters = QueryDict(mutable=True)
    for name in fields:
        if name == term_field:
            continue
        if name in cleaned:
            value = cleaned[name]
            if value in (None, "", False, [], ()):
                continue
            value = getattr(value, "pk", value)
            filters[name] = "on" if value is True else str(value)
            continue
        values = [value for value in data.getlist(name) if value]
        if values:
            filters.setlist(name, values)
    return filters


def _remember(request: HttpRequest, list_key: str, term: str) -> str:
    stored = request.session.get(SESSION_KEY) or {}
    terms = stored.get(list_key) or {}
    for token, kept in terms.items():
        if kept == term:
            return token
    token = secrets.token_urlsafe(6)
    terms[token] = term
    while len(terms) > TERMS_KEPT_PER_LIST:
        terms.pop(next(iter(terms)))  # the oldest: dicts keep insertion order, JSON too
    stored[list_key] = terms
    request.session[SESSION_KEY] = stored
    return token


def _recall(request: HttpRequest, list_key: str, token: str) -> str:
    if not token:
        return ""
    terms = (request.session.get(SESSION_KEY) or {}).get(list_key) or {}
    term = terms.get(token, "")
    return term if isinstance(term, str) else ""
