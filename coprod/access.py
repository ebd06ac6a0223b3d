"""View decorators built on the role predicates in `coprod.roles`.

Kept apart from the predicates because they need Django's auth views, which can only be
imported once the user model is loaded; `coprod.roles` stays importable from models.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http import HttpResponse

from .roles import Role
from .roles import has_role


def role_required(*roles: Role) -> Callable:
    """View decorator: anonymous visitors go to the login page; a signed-in user
    without one of the roles gets 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = role_required(Role.STAFF)
partner_required = role_required(Role.PARTNER)
staff_or_trustee_required = role_required(Role.STAFF, Role.TRUSTEE)
