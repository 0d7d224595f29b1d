from django.contrib import admin

from casework.risk.models import RiskTierAssignment

admin.site.register(RiskTierAssignment)
