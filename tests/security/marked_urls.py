"""A URL map with two audited web views, marked both ways the web UI can mark its pages."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from casework.audit.middleware import audited


@audited("case")
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return HttpResponse("case page")


def client_page(request: HttpRequest, client_id: int) -> HttpResponse:
    return HttpResponse("client page")


def plain_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("nothing audited here")


urlpatterns = [
    path("cases/<int:case_id>/", case_page),
    path("clients/<int:client_id>/", client_page, {"casework_audit": "client"}),
    path("plain/", plain_page),
    path("", include("casework.urls")),
]
