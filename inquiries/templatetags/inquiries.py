from django import template

from inquiries import presentation
from inquiries.tracking import tracking_code_display

register = template.Library()


@register.filter
def next_step(status, where="page"):
    return presentation.next_step(status, where)


@register.filter
def status_badge(status):
    return presentation.status_badge(status)


@register.simple_tag(takes_context=True)
def history_of(context, inquiry, events):
    """The history's rows with who acted, as the person reading the page may see it."""
    request = context.get("request")
    return presentation.history_rows(inquiry, events, getattr(request, "user", None))


@register.filter
def tracking(code):
    return tracking_code_display(code)


@register.filter
def dict_get(mapping, key):
    return mapping.get(key) if mapping else None
