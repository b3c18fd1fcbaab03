from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shahrvand.http import safe_next_url
from shahrvand.ratelimit import client_ip

from . import backends, services_power
from .audit import Kind, signin_event
from .forms import CitizenCodeForm, CitizenSignInForm, StaffLoginForm
from .forms_password import OwnPasswordChangeForm
from .middleware import (
    mark_signed_in_by_code,
    mark_signed_in_by_password,
    password_change_forced,
)
from .services import SignInRefused, citizen_signin_start, citizen_signin_verify

SESSION_ATTEMPT = "citizen_signin_attempt"
SESSION_PREFILL = "citizen_signin_prefill"
SESSION_NEXT = "citizen_signin_next"


class StaffLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        mark_signed_in_by_password(self.request)
        signin_event(Kind.SIGNED_IN, request=self.request, user=form.get_user())
        return response


@require_http_methods(["GET", "POST"])
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's own sign-in form would be a second way in with a password, without the lockout:
    everyone signs in on the staff form. Someone signed in who may not use the admin is refused."""
    if request.user.is_authenticated:
        raise PermissionDenied
    next_url = safe_next_url(request, request.GET.get("next")) or resolve_url("admin:index")
    return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("home")


@require_http_methods(["GET", "POST"])
def citizen_signin(request: HttpRequest) -> HttpResponse:
    """Step 1: national ID and mobile; a code goes out by SMS."""
    if request.method == "GET":
        next_url = safe_next_url(request, request.GET.get("next"))
        if next_url:
            request.session[SESSION_NEXT] = next_url
    form = CitizenSignInForm(request.POST or None, initial=request.session.get(SESSION_PREFILL))
    if request.method == "POST" and form.is_valid():
        try:
            attempt = citizen_signin_start(
                national_id=form.cleaned_data["national_id"],
                mobile=form.cleaned_data["mobile"],
                ip=client_ip(request) if client_ip(request) != "unknown" else None,
            )
        except SignInRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            request.session[SESSION_ATTEMPT] = str(attempt.pk)
            request.session[SESSION_PREFILL] = {
                "national_id": attempt.national_id,
                "mobile": attempt.mobile,
            }
            return redirect("accounts:citizen_code")
    return render(request, "accounts/citizen_signin.html", {"form": form})


@require_http_methods(["GET", "POST"])
def citizen_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the SMS, checked against this browser's attempt only."""
    attempt_id = request.session.get(SESSION_ATTEMPT)
    if not attempt_id:
        return redirect("accounts:citizen_login")
    form = CitizenCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = citizen_signin_verify(attempt_id=attempt_id, code=form.cleaned_data["code"])
        except SignInRefused as refusal:
            form.add_error("code", refusal.message)
        else:
            next_url = request.session.pop(SESSION_NEXT, None)
            for key in (SESSION_ATTEMPT, SESSION_PREFILL):
                request.session.pop(key, None)
            login(request, user, backend=backends.PATH)
            mark_signed_in_by_code(request)
            messages.success(request, _("You are signed in."))
            return redirect(safe_next_url(request, next_url) or resolve_url("inquiries:mine"))
    prefill = request.session.get(SESSION_PREFILL) or {}
    return render(
        request,
        "accounts/citizen_code.html",
        {
            "form": form,
            "mobile": prefill.get("mobile", ""),
            "minutes": settings.SIGNIN_CODE_TTL_SECONDS // 60,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """The owner's own password; the only page open to someone whose password another person set
    (accounts.middleware), and it ends that state."""
    forced = password_change_forced(request)
    next_url = safe_next_url(request, request.POST.get("next") or request.GET.get("next"))
    form = OwnPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services_power.user_change_own_password(
            user=request.user, raw_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password was changed."))
        return redirect(next_url or "home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": forced, "next": next_url or ""},
    )
