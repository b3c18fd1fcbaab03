"""The two helpers every list page shares: its filter row's Bootstrap classes, and its query
string without "page" for the page and sort links."""

from django import forms
from django.test import RequestFactory

from shahrvand.forms import widgets_bootstrap
from shahrvand.http import query_without


class _Filters(forms.Form):
    status = forms.ChoiceField(choices=[("", "All"), ("open", "Open")], required=False)
    overdue = forms.BooleanField(required=False)
    q = forms.CharField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def test_a_filter_row_gets_bootstraps_class_for_each_kind_of_widget():
    form = _Filters()
    widgets_bootstrap(form)
    html = {name: str(form[name]) for name in form.fields}
    assert 'class="form-select"' in html["status"]
    assert 'class="form-check-input"' in html["overdue"]
    assert 'class="form-control"' in html["q"]
    assert "class=" not in html["version"]


def test_the_query_without_page_keeps_every_filter_and_each_repeated_value():
    request = RequestFactory().get("/offices/?kind=notary&page=3&district=1&district=2")
    query = query_without(request, "page")
    assert "page" not in query
    assert query.getlist("district") == ["1", "2"]
    query["sort"] = "name"  # the caller may change it: sort links do
    assert query.urlencode() == "kind=notary&district=1&district=2&sort=name"
    assert request.GET["page"] == "3"
