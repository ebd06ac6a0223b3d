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
