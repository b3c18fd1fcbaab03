"""Post an admin change form as a browser would: the page's own values, then the test's changes."""

from __future__ import annotations


def _put(data: dict, name: str, value) -> None:
    if value is None or value is False:
        return
    if value is True:
        data[name] = "on"
    elif isinstance(value, list | tuple):
        data[name] = [str(getattr(v, "pk", v)) for v in value]
    else:
        data[name] = str(getattr(value, "pk", value))


def change_form_data(response, **changes) -> dict:
    """The values a browser would send back from an admin add/change page, with ``changes``
    applied (``None`` or ``False`` drops a field, as an unticked box does)."""
    data: dict = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        if not field.disabled:
            _put(data, name, form[name].value())
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for row in formset.forms:
            for name, field in row.fields.items():
                if not field.disabled:
                    _put(data, row.add_prefix(name), row[name].value())
    for name, value in changes.items():
        data.pop(name, None)
        _put(data, name, value)
    return data
