"""The main menu, by role. Each person sees the places they can act in, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Roles


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def entries_for(roles: Roles) -> list[tuple[str, str]]:
    """The menu's entries for these roles: (label, URL name), in order."""
    entries: list[tuple[str, str]] = []
    if not roles.is_authenticated or roles.is_citizen:
        entries.append((_("File an inquiry"), "inquiries:new"))
    if roles.is_citizen:
        entries.append((_("My inquiries"), "inquiries:mine"))
    if roles.is_reviewer_or_manager:
        entries.append((_("Review queue"), "inquiries:review_queue"))
    if roles.is_kiosk_staff:
        entries.append((_("Help kiosk"), "districts:kiosk"))
    if roles.is_office_operator:
        entries.append((_("My office"), "counters:office"))
    if roles.is_ict_admin:
        entries.append((_("Offices"), "counters:registry"))
        entries.append((_("Scorecards"), "counters:scorecards"))
    if roles.reads_reports:
        entries.append((_("Reports"), "reports:dashboard"))
    entries.append((_("Track an inquiry"), "inquiries:track"))
    entries.append((_("Verify an answer"), "inquiries:verify"))
    return entries


def navigation_for(request, roles: Roles) -> list[NavItem]:
    path = getattr(request, "path", "")
    items = []
    for label, name in entries_for(roles):
        url = reverse(name)
        items.append(NavItem(label=label, url=url, active=path == url))
    return items
