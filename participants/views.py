from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coprod.roles import partner_for, partner_required


@partner_required
def portal_home(request: HttpRequest) -> HttpResponse:
    partner = partner_for(request.user)
    return render(request, "participants/portal_home.html", {"partner": partner})
