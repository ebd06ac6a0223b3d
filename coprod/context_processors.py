from django.utils.functional import SimpleLazyObject

from .models import Organisation
from .roles import roles_of


def site(request):
    """The organisation's name and the signed-in user's roles, for the layout and navigation."""
    user = request.user
    return {
        "organisation": SimpleLazyObject(Organisation.current),
        "user_roles": SimpleLazyObject(lambda: {role.value for role in roles_of(user)}),
    }
