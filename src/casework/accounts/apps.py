from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "casework.accounts"
    label = "accounts"
