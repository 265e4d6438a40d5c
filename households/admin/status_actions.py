"""动态调整 from the household's admin page: 标注脱贫, 返贫 and 清退, each through its service.

户状态 is read-only on the change page; these intermediate pages are the only way the admin
changes it, so every change leaves a StatusChange event with who recorded it and who approved it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.admin import widgets
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from households import services
from households.choices import HouseholdStatus, StatusChangeKind
from households.models import Household, StatusChange
from households.models.household import FIRST_YEAR, LAST_YEAR
from households.models.status import TRANSITIONS


@dataclass(frozen=True)
class StatusAction:
    """One household-level change the page offers, and the service that carries it out."""

    kind: StatusChangeKind
    slug: str
    service: Callable[..., StatusChange]
    year_label: str
    reason_help: str

    @property
    def label(self) -> str:
        return str(self.kind.label)

    def is_allowed_for(self, household: Household) -> bool:
        allowed_from, _to_status = TRANSITIONS[self.kind]
        return household.status in allowed_from


ACTIONS = {
    action.slug: action
    for action in (
        StatusAction(
            StatusChangeKind.MARK_EXITED,
            "mark-exited",
            services.household_mark_exited,
            "脱贫年度",
            "如：人均纯收入稳定超过扶贫标准，两不愁三保障达标，经民主评议、农户签字认可",
        ),
        StatusAction(
            StatusChangeKind.RETURN,
            "return",
            services.household_mark_returned,
            "返贫年度",
            "返贫原因，如：因病、因灾、因意外事故",
        ),
        StatusAction(
            StatusChangeKind.REMOVAL,
            "remove",
            services.household_remove,
            "清退年度",
            "清退原因，如：识别不精准、家庭收入明显高于标准；清退后不可恢复",
        ),
    )
}


class StatusActionForm(forms.Form):
    """The record every 动态调整 carries: year, effective date, reason and approval."""

    required_css_class = "required"

    year = forms.IntegerField(
        label="年度",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=widgets.AdminIntegerFieldWidget,
    )
    effective_on = forms.DateField(label="生效日期", widget=widgets.AdminDateWidget)
    reason = forms.CharField(label="原因", max_length=300, widget=widgets.AdminTextInputWidget)
    approved_by = forms.CharField(
        label="批准人（单位）",
        max_length=100,
        required=False,
        widget=widgets.AdminTextInputWidget,
    )
    approved_on = forms.DateField(label="批准日期", required=False, widget=widgets.AdminDateWidget)

    def __init__(self, *args, action: StatusAction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].label = action.year_label
        self.fields["reason"].help_text = action.reason_help


def chosen_year(request: HttpRequest) -> int:
    """The year asked for in ?year=, else the current one."""
    value = request.GET.get("year", "")
    if value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR:
        return int(value)
    return timezone.localdate().year


class StatusActionsMixin:
    """Buttons on the household change page and the intermediate page behind each of them."""

    status_action_template = "admin/households/household/status_action.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.status_action_view)
        # Before the admin's own URLs, whose last pattern catches any "<object_id>/…".
        return [
            path(
                "<path:object_id>/status/<slug:action>/",
                view,
                name=self._url_name("status_action"),
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and self.has_change_permission(request, obj):
            context["status_actions"] = [
                (action.label, self._status_action_url(obj, action))
                for action in ACTIONS.values()
                if action.is_allowed_for(obj)
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def status_action_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        household = self.get_object(request, unquote(object_id))
        step = ACTIONS.get(action)
        if household is None or step is None:
            raise Http404("没有找到该贫困户或调整类型")
        if not self.has_change_permission(request, household):
            raise PermissionDenied
        if not step.is_allowed_for(household):
            current = HouseholdStatus(household.status).label
            messages.error(request, f"户状态为“{current}”的贫困户不能办理“{step.label}”")
            return HttpResponseRedirect(self._change_url(household))
        if request.method != "POST":
            form = StatusActionForm(action=step, initial={"year": chosen_year(request)})
            return self._render_status_action(request, household, step, form)
        form = StatusActionForm(request.POST, action=step)
        if form.is_valid():
            try:
                event = step.service(
                    household=household, recorded_by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)  # the service wrote nothing: it runs atomically
            else:
                return self._status_action_done(request, household, event)
        return self._render_status_action(request, household, step, form)

    def _status_action_done(
        self, request: HttpRequest, household: Household, event: StatusChange
    ) -> HttpResponse:
        change = (
            f"{event.get_kind_display()}（{event.year}年）："
            f"户状态由“{event.get_from_status_display()}”变为“{event.get_to_status_display()}”"
        )
        self.log_change(request, household, change)
        messages.success(request, f"贫困户 {household} 已办理{change}。")
        return HttpResponseRedirect(self._change_url(household))

    def _render_status_action(
        self,
        request: HttpRequest,
        household: Household,
        step: StatusAction,
        form: StatusActionForm,
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": f"{step.label}：贫困户 {household}",
            "opts": self.opts,
            "original": household,
            "action": step,
            "form": form,
            "media": self.media + form.media,
            "change_url": self._change_url(household),
            "has_view_permission": self.has_view_permission(request, household),
        }
        if step.kind == StatusChangeKind.MARK_EXITED:
            context |= self._exit_check(household, self._checked_year(request, form))
        return TemplateResponse(request, self.status_action_template, context)

    @staticmethod
    def _checked_year(request: HttpRequest, form: StatusActionForm) -> int:
        # After a POST, check the year the clerk submitted; on a GET, the one asked for.
        submitted = getattr(form, "cleaned_data", {}).get("year")
        return submitted or chosen_year(request)

    @staticmethod
    def _exit_check(household: Household, year: int) -> dict:
        return {
            "check_year": year,
            "blockers": services.exit_blockers(household=household, year=year),
        }

    def _url_name(self, view: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def _change_url(self, household: Household) -> str:
        name = f"admin:{self._url_name('change')}"
        return reverse(name, args=[quote(household.pk)], current_app=self.admin_site.name)

    def _status_action_url(self, household: Household, action: StatusAction) -> str:
        name = f"admin:{self._url_name('status_action')}"
        args = [quote(household.pk), action.slug]
        return reverse(name, args=args, current_app=self.admin_site.name)
