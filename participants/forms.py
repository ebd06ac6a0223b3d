"""Forms for the participants app. Each feature keeps its own block.

Forms only validate input; the views hand the cleaned data to a service."""

import re

from django import forms
from django.contrib.auth import get_user_model

from .models import AccessNeed, ConsentStatement, Course, Partner

# --- Consent and training ---------------------------------------------------

PHONE = re.compile(r"^\+?[0-9 ()\-]+$")


class MyDetailsForm(forms.ModelForm):
    """The partner's own details, in plain English."""

    access_needs = forms.ModelMultipleChoiceField(
        queryset=AccessNeed.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        label="What helps you take part?",
        help_text="Tick all that help you. We use this to plan meetings with you.",
    )

    class Meta:
        model = Partner
        fields = ["preferred_name", "pronouns", "preferred_contact", "email", "phone", "address",
                  "access_needs", "interpreter_language", "access_notes", "availability"]
        labels = {
            "preferred_name": "What would you like us to call you?",
            "pronouns": "Your pronouns",
            "preferred_contact": "How would you like us to contact you?",
            "email": "E-mail address",
            "phone": "Phone number",
            "address": "Postal address",
            "interpreter_language": "If you need an interpreter, which language?",
            "access_notes": "Anything else that helps you take part",
            "availability": "When can you usually take part?",
        }
        help_texts = {
            "preferred_name": "Leave it empty to use your full name.",
            "pronouns": "If you want to tell us. For example: she/her, he/him, they/them.",
            "email": "",
            "phone": "A mobile number if you would like text messages.",
            "interpreter_language": "For example: Polish, Somali, Arabic.",
            "access_notes": "For example: I need a break every hour.",
            "availability": "For example: weekday mornings, not school holidays.",
        }
        widgets = {
            "preferred_contact": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3}),
            "access_notes": forms.Textarea(attrs={"rows": 3}),
            "availability": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and (not PHONE.match(phone) or not 7 <= sum(c.isdigit() for c in phone) <= 15):
            raise forms.ValidationError("Enter a phone number using numbers only, for example 07700 900123.")
        return phone


class ConsentStatementForm(forms.Form):
    topic = forms.ChoiceField(choices=ConsentStatement.Topic.choices, widget=forms.RadioSelect,
                              label="Which consent is this?")
    wording = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), label="New wording",
        help_text="Plain English, as the partner will read it before they press “Yes, I agree”.",
    )


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["name", "description", "valid_for_months", "required_for_partners", "required_for_staff"]
        labels = {
            "valid_for_months": "Needs refreshing after (months)",
            "required_for_partners": "Every partner must do it",
            "required_for_staff": "Every staff member must do it",
        }
        help_texts = {
            "valid_for_months": "Leave empty if it never needs refreshing.",
            "required_for_partners": "Partners without a completion that counts are listed as due.",
            "required_for_staff": "Staff members without a completion that counts are listed as due.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TrainingRecordForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.all(), label="Course")
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.current(), required=False, label="Partner",
        empty_label="(not a partner)",
    )
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_staff_member=True, is_active=True), required=False,
        label="Or a staff member", empty_label="(not a staff member)",
    )
    completed_on = forms.DateField(
        label="Date completed", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The expiry date is worked out from the course.",
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("partner")) == bool(cleaned.get("user")):
            raise forms.ValidationError("Choose either a partner or a staff member (one of the two).")
        return cleaned
