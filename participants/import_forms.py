"""Forms of the spreadsheet import (participants/imports.py): they validate what staff
choose; the views hand the cleaned data to the import's services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .imports import LEAVE_OUT
from .imports import fields_for
from .models import ImportBatch


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The file lists"), choices=ImportBatch.Kind.choices, widget=forms.RadioSelect,
        initial=ImportBatch.Kind.PARTNERS,
        help_text=_("Import partners and staff (or trustees) from separate files."),
        error_messages={"required": _("Choose whether the file lists partners, or staff and trustees.")},
    )
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("A CSV file or an Excel workbook (.xlsx), at most 20 MB and 20,000 rows. "
                  "The first row must hold the column headings."),
        error_messages={"required": _("Choose the file to import.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"


class ImportMappingForm(forms.Form):
    """One choice per column of the file: which coprod field it holds, or leave it out."""

    def __init__(self, *args, batch: ImportBatch, samples: dict[str, list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.batch = batch
        choices = [(LEAVE_OUT, _("(leave this column out)"))] + [
            (field.key, field.label) for field in fields_for(batch.kind)]
        hints = {field.key: field.hint for field in fields_for(batch.kind)}
        self.columns = []
        for index, heading in enumerate(batch.headers):
            name = f"column_{index}"
            example = ", ".join(value for value in samples.get(heading, []) if value)
            self.fields[name] = forms.ChoiceField(
                label=heading, choices=choices, required=False, initial=batch.mapping.get(heading, LEAVE_OUT),
                help_text=(_("For example: %(example)s") % {"example": example} if example
                           else _("Empty in the first rows.")),
            )
            self.columns.append((name, heading))
        self.hints = hints

    def mapping(self) -> dict[str, str]:
        return {heading: self.cleaned_data.get(name) or LEAVE_OUT for name, heading in self.columns}


class ImportConfirmForm(forms.Form):
    leave_out_problems = forms.BooleanField(
        label=_("Import the other rows without the rows that have a problem"), required=False,
    )


class ImportInviteForm(forms.Form):
    """The people to invite: ids of the partners (or invitations) the import brought in."""

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"] = forms.TypedMultipleChoiceField(
            label=_("Invite"), choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Choose at least one person to invite.")},
        )
