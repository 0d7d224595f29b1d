from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "casework.web"
    label = "web"
