"""The second factor's pages: enrolment at the first sign-in (the QR code, the secret, the first
code, then the backup codes shown once) and the code at every sign-in. The only pages a session
opened with a password reaches before it (``accounts.middleware.SecondFactorRequiredMiddleware``)."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shahrvand.http import safe_next_url
from shahrvand.text import localize_digits

from . import second_factor as factor
from .audit import Kind, signin_event
from .forms import EnrolmentCodeForm, SecondFactorForm
from .lockout import locked_message, lockout_clear, lockout_failure, lockout_state
from .middleware import SECOND_FACTOR_NEXT, second_factor_pending


def _next_url(request: HttpRequest) -> str:
    return safe_next_url(request, request.session.pop(SECOND_FACTOR_NEXT, None)) or resolve_url(
        "home"
    )


def _verified(request: HttpRequest, device) -> None:
    # A new session key for the session that now holds more power (as login() does for the first).
    request.session.cycle_key()
    django_otp.login(request, device)
    lockout_clear(request.user.get_username())


def _locked_or_none(request: HttpRequest) -> str | None:
    state = lockout_state(request, request.user.get_username())
    return locked_message(state) if state is not None else None


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """The code at every sign-in: the authenticator app's, or a backup code."""
    if not second_factor_pending(request):
        return redirect(_next_url(request))
    user = request.user
    if not factor.is_enrolled(user):
        return redirect("accounts:second_factor_setup")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        locked = _locked_or_none(request)
        if locked:
            form.add_error(None, locked)
        else:
            device, backup = factor.second_factor_check(user=user, code=form.cleaned_data["code"])
            if device is None:
                lockout_failure(request, user.get_username(), kind=Kind.CODE_FAILED, user=user)
                form.add_error("code", _("The code is not right. Check the time on your phone."))
            else:
                _verified(request, device)
                signin_event(
                    Kind.VERIFIED, request=request, user=user, method="backup" if backup else "app"
                )
                if backup:
                    left = factor.backup_codes_left(user)
                    signin_event(Kind.BACKUP_CODE_USED, request=request, user=user, left=left)
                    messages.warning(
                        request,
                        _(
                            "You signed in with a backup code; %(left)s are left. If your phone "
                            "is lost, ask the ICT organisation to reset your second factor."
                        )
                        % {"left": localize_digits(left)},
                    )
                return redirect(_next_url(request))
    return render(request, "accounts/second_factor.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrolment, by the owner only: scan the QR code (or type the secret), give the first code;
    the backup codes are shown once, on the answer to that post."""
    if not second_factor_pending(request):
        return redirect(_next_url(request))
    user = request.user
    if factor.is_enrolled(user):
        return redirect("accounts:second_factor")
    device = factor.enrolment_start(user=user)
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        locked = _locked_or_none(request)
        if locked:
            form.add_error(None, locked)
        else:
            result = factor.enrolment_confirm(user=user, code=form.cleaned_data["code"])
            if result is None:
                lockout_failure(request, user.get_username(), kind=Kind.CODE_FAILED, user=user)
                form.add_error(
                    "code",
                    _(
                        "The code is not right. Scan the code again, or check the time on your phone."
                    ),
                )
            else:
                confirmed, codes = result
                _verified(request, confirmed)
                signin_event(Kind.ENROLLED, request=request, user=user)
                return render(
                    request,
                    "accounts/second_factor_backup_codes.html",
                    {"codes": codes, "next": _next_url(request)},
                )
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            # Markup drawn by our own code from the device's URL: no user input reaches it.
            "qr_svg": mark_safe(factor.qr_svg(device)),  # nosec B308 B703
            "secret": factor.secret_text(device),
        },
    )
