"""Admin of the registry, in Chinese, for county tables of tens of thousands of households."""

from django.contrib import admin

from households.admin import areas, household, income, measures, member, status  # noqa: F401

admin.site.site_header = "精准扶贫业务管理平台"
admin.site.site_title = "精准扶贫业务管理平台"
admin.site.index_title = "业务数据管理"
