from django import template

from inquiries import presentation
from inquiries.tracking import tracking_code_display

register = template.Library()


@register.filter
def next_step(status):
    return presentation.next_step(status)


@register.filter
def status_badge(status):
    return presentation.status_badge(status)


@register.filter
def tracking(code):
    return tracking_code_display(code)


@register.filter
def dict_get(mapping, key):
    return mapping.get(key) if mapping else None
