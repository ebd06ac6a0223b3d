"""django-allauth's own words that people read on coprod's sign-in and password screens.

allauth's catalogue has Polish but no Welsh. Naming its messages here (exactly as allauth writes
them) puts them in coprod's catalogue, whose translations win over allauth's because
`LOCALE_PATHS` is searched before the apps' catalogues; where ours is empty (Polish),
allauth's own translation is used. The screens themselves are coprod's templates
(templates/account/), in plain English.
"""

from django.utils.translation import gettext_noop

SHOWN = (
    # Form labels allauth sets and coprod keeps.
    gettext_noop("Email"),
    gettext_noop("Password"),
    gettext_noop("Current Password"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    gettext_noop("Code"),
    # What allauth says when something is wrong.
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("This account is currently inactive."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("Please type your current password."),
    gettext_noop("You must type the same password each time."),
    gettext_noop("Incorrect code."),
    gettext_noop("Incorrect password."),
    gettext_noop("Invalid or expired key."),
    gettext_noop("The password reset token was invalid."),
    gettext_noop("The email address is not assigned to any user account."),
    gettext_noop("Be patient, you are sending too many requests."),
)
