from django.apps import AppConfig


class TransitionsConfig(AppConfig):
    name = "casework.transitions"
    label = "transitions"
