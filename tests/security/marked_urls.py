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


# Named so that the test can add them to the access matrix (unnamed pages are refused).
urlpatterns = [
    path("cases/<int:case_id>/", case_page, name="marked_case"),
    path(
        "clients/<int:client_id>/", client_page, {"casework_audit": "client"}, name="marked_client"
    ),
    path("plain/", plain_page, name="marked_plain"),
    path("", include("casework.urls")),
]
