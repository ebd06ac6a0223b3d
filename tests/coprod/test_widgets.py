"""QuickSelect writes the HTML Django's Select writes, without a template per option."""

import re

import pytest
from django import forms

from coprod.widgets import QuickSelect

CHOICES = [("", "Any service"), (1, "Housing & homes"), (2, 'The "front door"'),
           ("Closed", [(3, "Old service"), (4, "<b>Older</b>")])]


def _same(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("value", [None, "", "2", 3, "99"])
def test_quick_select_writes_what_djangos_select_writes(value):
    attrs = {"id": "id_service", "class": "form-select", "aria-describedby": "help", "disabled": False,
             "required": True}
    django = forms.Select(choices=CHOICES).render("service", value, attrs)
    quick = QuickSelect(choices=CHOICES).render("service", value, attrs)
    assert _same(quick) == _same(django)


def test_labels_are_escaped():
    html = QuickSelect(choices=CHOICES).render("service", None)
    assert "&lt;b&gt;Older&lt;/b&gt;" in html and "<b>" not in html


@pytest.mark.django_db
def test_a_name_select_lists_records_by_name_with_the_chosen_one_selected():
    from coprod.models import Service
    from coprod.widgets import NameSelect

    housing, youth = Service.objects.create(name="Housing"), Service.objects.create(name="Youth work")
    field = forms.ModelChoiceField(queryset=Service.objects.only("pk", "name"), empty_label="Any service",
                                   widget=NameSelect)
    html = field.widget.render("service", str(youth.pk))
    django = forms.ModelChoiceField(queryset=Service.objects.all(), empty_label="Any service")
    assert _same(html) == _same(django.widget.render("service", str(youth.pk)))
    assert f'<option value="{youth.pk}" selected>Youth work</option>' in html
    assert f'<option value="{housing.pk}">Housing</option>' in html
