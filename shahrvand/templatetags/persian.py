"""Template filters for Persian pages: ``{% load persian %}``.

``{{ inquiry.created_at|jdatetime }}``, ``{{ district.transfer_online_since|jdate }}``,
``{{ 16244|fa_number }}`` -> ۱۶٬۲۴۴, ``{{ code|fa_digits }}``.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from shahrvand import jalali
from shahrvand.text import format_days, format_number, localize_digits, reader_reads_persian

register = template.Library()


@register.filter
def jdate(value, style="long"):
    return jalali.format_date(value, style)


@register.filter(name="jdatetime")
def jdatetime_filter(value, style="long"):
    return jalali.format_datetime(value, style)


@register.filter
def fa_digits(value):
    """Digits in the reader's script, with no grouping (codes, years, phone numbers)."""
    if value is None:
        return ""
    return localize_digits(value)


@register.filter
def fa_number(value):
    """A quantity with thousands separators, in the reader's digits."""
    if value is None or value == "":
        return ""
    try:
        return format_number(value, persian=reader_reads_persian())
    except (TypeError, ValueError):
        return value


@register.filter
def fa_filesize(value):
    """A file's size in the reader's words and digits, one decimal at most: '۱۲۰٫۶ کیلوبایت'
    (Django's filesizeformat keeps "KB" and a Latin decimal point)."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        return ""
    if size < 1024:
        return gettext("%(n)s bytes") % {"n": localize_digits(size)}
    if size < 1024 * 1024:
        return gettext("%(n)s KB") % {"n": format_days(size / 1024)}
    return gettext("%(n)s MB") % {"n": format_days(size / (1024 * 1024))}


@register.filter(is_safe=True)
def isolate(value):
    """A code or number inside a line of Persian, kept whole by Unicode isolates (FSI ... PDI): its
    own first letter decides its direction, so a tracking code or 1/1405/00001 reads left to right
    and a bank's letter number like ۱۲۳۴/ب/۵۶ reads as it was typed. The print renderer lays out
    every inline element on its own, so the answer letter uses this instead of spans."""
    if value is None or value == "":
        return ""
    # The value is escaped; only the two isolate characters are added.
    return mark_safe("\u2068" + conditional_escape(value) + "\u2069")  # nosec B308 B703
