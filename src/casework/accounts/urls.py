from django.urls import path

from casework.accounts import views

app_name = "accounts"
urlpatterns = [
    path("otp/", views.verify, name="otp_verify"),
    path("otp/setup/", views.setup, name="otp_setup"),
]
