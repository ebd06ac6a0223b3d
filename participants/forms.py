"""Forms for the participants app. Each feature keeps its own block.

Forms only validate input; the views hand the cleaned data to a service."""

import re

from allauth.account import forms as allauth_forms
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from coprod import bounds
from coprod.dates import DateField
from coprod.forms import text_boxes
from coprod.welsh import welsh_form_field

from . import lockout
from .models import AccessNeed
from .models import ConsentStatement
from .models import Course
from .models import Invitation
from .models import LivedExperienceArea
from .models import Partner
from .partner_field import PartnerField

# --- Consent and training ---------------------------------------------------

PHONE = re.compile(r"^\+?[0-9 ()\-]+$")


def language_choices() -> list[tuple[str, str]]:
    """The languages coprod speaks, each named in itself, after "no preference" (blank: the
    organisation's default language)."""
    default = dict(settings.LANGUAGES)[settings.LANGUAGE_CODE]
    return [("", _("No preference (%(language)s)") % {"language": default}), *settings.LANGUAGES]


def phone_checked(phone: str) -> str:
    """A phone number people typed, trimmed; refused unless it is 7 to 15 digits with spaces,
    brackets, dashes or a leading +."""
    phone = phone.strip()
    if phone and (not PHONE.match(phone) or not 7 <= sum(c.isdigit() for c in phone) <= 15):
        raise forms.ValidationError(_("Enter a phone number using numbers only, for example 07700 "
                                      "900123."))
    return phone


class MyDetailsForm(forms.ModelForm):
    """The partner's own details, in plain English."""

    access_needs = forms.ModelMultipleChoiceField(
        queryset=AccessNeed.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("What helps you take part?"),
        help_text=_("Tick all that help you. We use this to plan meetings with you."),
    )

    class Meta:
        model = Partner
        fields = ["preferred_name", "pronouns", "language", "preferred_contact", "email", "phone", "address",
                  "access_needs", "interpreter_language", "access_notes", "availability"]
        labels = {
            "preferred_name": _("What would you like us to call you?"),
            "language": _("Which language would you like us to use?"),
            "pronouns": _("Your pronouns"),
            "preferred_contact": _("How would you like us to contact you?"),
            "email": _("E-mail address"),
            "phone": _("Phone number"),
            "address": _("Postal address"),
            "interpreter_language": _("If you need an interpreter, which language?"),
            "access_notes": _("Anything else that helps you take part"),
            "availability": _("When can you usually take part?"),
        }
        help_texts = {
            "preferred_name": _("Leave it empty to use your full name."),
            "pronouns": _("If you want to tell us. For example: she/her, he/him, they/them."),
            "language": _("For your pages, and for the e-mails, text messages and letters we send you."),
            "email": "",
            "phone": _("A mobile number if you would like text messages."),
            "interpreter_language": _("For example: Polish, Somali, Arabic."),
            "access_notes": _("For example: I need a break every hour."),
            "availability": _("For example: weekday mornings, not school holidays."),
        }
        # WCAG 1.3.5: the browser may fill in the partner's own details (autocomplete).
        widgets = {
            "preferred_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "preferred_contact": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
            **text_boxes(access_notes=3, availability=3),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_contact"].choices = [
            (value, _("Through my link worker") if value == Partner.ContactMethod.LINK_WORKER else label)
            for value, label in Partner.ContactMethod.choices]
        self.fields["language"].choices = language_choices()

    def clean_phone(self) -> str:
        return phone_checked(self.cleaned_data["phone"])


class MyRemindersForm(forms.ModelForm):
    """A partner chooses how we contact them and how far ahead we remind them of meetings."""

    class Meta:
        model = Partner
        fields = ["preferred_contact", "reminders"]
        labels = {
            "preferred_contact": _("How would you like us to contact you?"),
            "reminders": _("When would you like a reminder before a meeting?"),
        }
        help_texts = {
            "preferred_contact": _("Text messages go to your phone number and letters to your postal "
                                   "address. "
                                 "If you choose a phone call, a member of staff rings you."),
            "reminders": "",
        }
        widgets = {"preferred_contact": forms.RadioSelect, "reminders": forms.RadioSelect}


class ConsentStatementForm(forms.Form):
    topic = forms.ChoiceField(choices=ConsentStatement.Topic.choices, widget=forms.RadioSelect,
                              label=_("Which consent is this?"))
    wording = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), label=_("New wording"),
        help_text=_("Plain English, as the partner will read it before they press “Yes, I agree”."),
    )
    wording_cy = welsh_form_field(rows=5)


class ConsentWelshForm(forms.Form):
    wording_cy = welsh_form_field(rows=5)


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["name", "description", "valid_for_months", "required_for_partners", "required_for_staff"]
        labels = {
            "valid_for_months": _("Needs refreshing after (months)"),
            "required_for_partners": _("Every partner must do it"),
            "required_for_staff": _("Every staff member must do it"),
        }
        help_texts = {
            "valid_for_months": _("Leave empty if it never needs refreshing."),
            "required_for_partners": _("Partners without a completion that counts are listed as due."),
            "required_for_staff": _("Staff members without a completion that counts are listed as due."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class _StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.email


class TrainingRecordForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.all(), label=_("Course"))
    partner = PartnerField(scope="current", required=False, label=_("Partner"))
    user = _StaffChoiceField(
        queryset=get_user_model().objects.filter(is_staff_member=True, is_active=True), required=False,
        label=_("Or a staff member"), empty_label=_("(not a staff member)"),
    )
    completed_on = DateField(
        label=_("Date completed"),
        help_text=_("The expiry date is worked out from the course."),
        validators=[bounds.TRAINING_COMPLETED],
    )

    def clean(self):
        cleaned = super().clean()
        if "partner" not in self.errors and bool(cleaned.get("partner")) == bool(cleaned.get("user")):
            raise forms.ValidationError(_("Choose either a partner or a staff member (one of the two)."))
        return cleaned


# --- Partner records (staff) ---


class PartnerForm(forms.ModelForm):
    """A partner's record as staff keep it. Without the sensitive-data permission the
    sensitive fields (`Partner.SENSITIVE_FIELDS`) are left out altogether."""

    class Meta:
        model = Partner
        fields = [
            "full_name", "preferred_name", "pronouns",
            "email", "phone", "address", "preferred_contact",
            "strengths", "skills", "interests", "availability",
            "service", "link_worker", "payment_preference", "language",
            "access_needs", "interpreter_language", "access_notes", "lived_experience", "benefit_check",
        ]
        labels = {"full_name": _("Full name"), "email": _("E-mail address"), "service": _("Service or team"),
                  "lived_experience": _("Areas of lived experience"), "language": _("Language")}
        help_texts = {
            "full_name": _("The only detail you must give. Everything else can be added later."),
            "email": _("Leave empty if they have no e-mail address: staff then act for them."),
            "preferred_contact": _("With no e-mail address, phone number or postal address, choose "
                                 "“through their link worker”."),
            "strengths": _("What they bring: what they are good at, what they know from experience."),
            "skills": _("For example: chairing, interviewing, writing, languages."),
            "language": _("The language of what we send them and, if they sign in, of their pages."),
        }
        widgets = {
            **text_boxes(address=3, strengths=3, skills=2, interests=2, availability=2, access_notes=3),
            "access_needs": forms.CheckboxSelectMultiple,
            "lived_experience": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not sensitive:
            for name in Partner.SENSITIVE_FIELDS:
                del self.fields[name]
        self.fields["link_worker"].queryset = get_user_model().objects.filter(
            is_staff_member=True, is_active=True)
        self.fields["link_worker"].empty_label = _("(nobody yet)")
        # Someone else's details: the browser must not offer the member of staff's own.
        for name in ("full_name", "preferred_name", "email", "phone", "address"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        self.fields["service"].empty_label = _("(none)")
        self.fields["language"].choices = language_choices()
        self.fields["phone"].help_text = _("A mobile number if they would like text messages.")
        self.fields["full_name"].error_messages["required"] = (
            _("Enter their full name. Every other detail can be added later."))
        self.fields["email"].error_messages["invalid"] = (
            _("Enter a valid email address in the form name@example.org, or leave it empty."))

    def clean_phone(self) -> str:
        return phone_checked(self.cleaned_data["phone"])


class PartnerCreateForm(PartnerForm):
    status = forms.ChoiceField(
        choices=Partner.Status.choices, initial=Partner.Status.ENQUIRY, label=_("Where are they now?"),
        help_text=_("Enquiry if they have only asked about getting involved."),
    )


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(choices=Partner.Status.choices, label=_("New status"))
    note = forms.CharField(
        max_length=300, required=False, label=_("Note (optional)"),
        help_text=_("Why, for the team. It is kept on their record and not sent to them."),
        error_messages={"max_length": _("Keep the note to 300 characters or fewer.")},
    )

    def __init__(self, *args, current: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if current is not None:
            # Offer only a real change; the service refuses "from active to active" anyway.
            self.fields["status"].choices = [
                (value, label) for value, label in Partner.Status.choices if value != current]


class AccessNeedForm(forms.ModelForm):
    class Meta:
        model = AccessNeed
        fields = ["name", "description", "order"]
        labels = {"order": _("Position in the list")}
        help_texts = {"description": _("A few words that say what it means in practice."),
                      "order": _("Lower numbers come first.")}
        error_messages = {"name": {"unique": _("There is already an access need with this name.")}}


class LivedExperienceAreaForm(forms.ModelForm):
    class Meta:
        model = LivedExperienceArea
        fields = ["name"]
        help_texts = {"name": _("For example: homelessness, debt, care leaver.")}
        error_messages = {"name": {"unique": _("There is already an area with this name.")}}


# --- Invitations ------------------------------------------------------------


class InvitationForm(forms.Form):
    """Staff invite a partner, a trustee or a staff member. Inviting from a
    partner's record fixes the role to partner."""

    full_name = forms.CharField(label=_("Full name"), max_length=150,
                                error_messages={"required": _("Enter the name of the person you are "
                                                              "inviting.")})
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("The invitation link is sent here."),
        error_messages={"required": _("Enter the e-mail address the invitation should go to."),
                        "invalid": _("Enter a whole e-mail address, like name@example.org.")},
    )
    role = forms.ChoiceField(
        label=_("Joining as"), choices=Invitation.Role.choices, widget=forms.RadioSelect,
        help_text=_("A new partner gets a partner record too, starting at induction."),
        error_messages={"required": _("Choose whether they join as a partner, a trustee or staff.")},
    )
    days_valid = forms.IntegerField(
        label=_("The link works for (days)"), min_value=1, max_value=bounds.INVITATION_MAX_DAYS, initial=14,
        help_text=_("After that it stops working. You can re-send it at any time."),
    )

    def __init__(self, *args, partner: Partner | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["full_name"].widget.attrs["autocomplete"] = "off"
        if partner is not None:
            self.fields["role"].choices = [(Invitation.Role.PARTNER, Invitation.Role.PARTNER.label)]
            self.fields["role"].initial = Invitation.Role.PARTNER
            self.fields["role"].help_text = _("The login will be linked to %(partner)s's partner record.") % {
                "partner": partner}
            self.initial.setdefault("full_name", partner.full_name)
            self.initial.setdefault("email", partner.email)


class AcceptInvitationForm(forms.Form):
    """The invited person chooses how they will sign in: a password, or a code by e-mail each time."""

    PASSWORD = "password"
    CODE = "code"

    how = forms.ChoiceField(
        label=_("How would you like to sign in?"), widget=forms.RadioSelect,
        choices=[(PASSWORD, _("Set a password")), (CODE, _("I'd rather get a sign-in code by e-mail each "
                                                           "time"))],
        error_messages={"required": _("Choose how you would like to sign in.")},
    )
    password1 = forms.CharField(
        label=_("Choose a password"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Only if you chose a password. At least 8 characters. Not a common password, "
                  "not only numbers, and not like your name or e-mail address."),
    )
    password2 = forms.CharField(
        label=_("Type the password again"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation: Invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("how") != self.PASSWORD:
            return cleaned
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if not password1:
            self.add_error("password1", _("Type a password, or choose a sign-in code by e-mail instead."))
        elif password1 != password2:
            self.add_error("password2", _("The two passwords are not the same. Please type them again."))
        else:
            candidate = get_user_model()(email=self.invitation.email, full_name=self.invitation.full_name)
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    @property
    def password(self) -> str | None:
        """The chosen password, or None for sign-in codes only."""
        if self.cleaned_data.get("how") == self.PASSWORD:
            return self.cleaned_data["password1"]
        return None


# --- Data protection ---


class EraseForm(forms.Form):
    """Staff confirm an erasure by typing the partner's full name."""

    confirm_name = forms.CharField(
        max_length=150, label=_("Type their full name to confirm"),
        help_text=_("Exactly as shown above. Erasure cannot be undone."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ErasureRequestForm(forms.Form):
    """A partner asks us to delete their information."""

    confirm = forms.BooleanField(
        label=_("Yes, I want you to delete my information"),
        error_messages={"required": _("Tick the box to tell us you want your information deleted.")},
    )
    message = forms.CharField(
        required=False, max_length=1000, label=_("Anything you want to tell us (you do not have to)"),
        help_text=_("For example: the best way to reach you about this."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Sign-in ---


class RequestLoginCodeForm(allauth_forms.RequestLoginCodeForm):
    """allauth's "e-mail me a sign-in code" form, saying for how long asking is paused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].widget.attrs.update(placeholder="", autocomplete="email")

    def clean_email(self) -> str:
        try:
            return super().clean_email()
        except forms.ValidationError as error:
            if error.code != "too_many_login_attempts":
                raise
            email = self.cleaned_data["email"].lower()
            lock = lockout.current_lock(allauth_context.request, action="request_login_code", key=email)
            raise forms.ValidationError(lockout.login_code_requests_message(lock), code=error.code) from None


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in form with plain-English labels."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail address")
        self.fields["login"].widget.attrs.update(placeholder="", autocomplete="email")
        self.fields["password"].widget.attrs["placeholder"] = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")


class ConfirmLoginCodeForm(allauth_forms.ConfirmLoginCodeForm):
    """allauth's "type the code" form with a plain-English label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Sign-in code")
        self.fields["code"].help_text = _("The 6 digits in the e-mail we sent you.")
        self.fields["code"].widget.attrs.update(placeholder="", inputmode="numeric")
