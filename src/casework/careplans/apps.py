from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "casework.careplans"
    label = "careplans"
