from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "casework.instruments"
    label = "instruments"
