"""Identifiers masked on every admin page: change forms, inlines and read-only displays.

An existing record's ID number or phone (households.masking.SENSITIVE_FIELDS) never reaches the
page in full. Users who may reveal it (accounts.reveal.may_reveal) get the masked value in a
read-only input and a "显示完整号码" button (static/js/reveal.js) that asks the reveal endpoint
for one value, recorded; after that they may edit it, which is recorded as a reveal too. Others
see the masked text only, and the server ignores whatever they post for it (a disabled field).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts.reveal import may_reveal, reveal_url
from households.masking import Masker, sensitive_fields

REVEAL_JS = "js/reveal.js"
BUTTON = (
    '<button type="button" class="button reveal-button" data-reveal-url="{}" '
    'data-reveal-target="{}">显示完整号码</button>'
)


class MaskedText(forms.Widget):
    """The masked value as text, for users who may not reveal it (the field is disabled)."""

    def __init__(self, mask: Masker) -> None:
        super().__init__()
        self.mask = mask

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        return format_html('<span class="masked-value">{}</span>', self.mask(value) or "—")


class RevealInput(forms.TextInput):
    """A read-only input showing the masked value, unlocked by the reveal button."""

    def __init__(self, *, original: str, masked: str, url: str, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.original, self.masked, self.url = original, masked, url

    class Media:
        js = [REVEAL_JS]

    def format_value(self, value: Any) -> str | None:
        # A value the user typed is theirs to see again; the stored one stays masked.
        return self.masked if value in (None, "", self.original) else super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        attrs = {**(attrs or {}), "readonly": True, "data-masked": "1"}
        html = super().render(name, value, attrs, renderer)
        return html + format_html(" " + BUTTON, self.url, attrs.get("id", ""))


class RevealableField(forms.CharField):
    """A stored identifier sent back masked or unchanged means "keep it"; anything else edits it."""

    def __init__(self, inner: forms.Field, *, original: str, masked: str, url: str) -> None:
        super().__init__(
            required=inner.required,
            label=inner.label,
            help_text=inner.help_text,
            widget=RevealInput(original=original, masked=masked, url=url),
        )
        self.inner, self.original, self.masked = inner, original, masked

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return self.original if value in (self.masked, self.original) else value

    def clean(self, value: Any) -> Any:
        value = self.to_python(value)
        return value if value == self.original else self.inner.clean(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(data) != (initial or "")


class MaskedFieldsForm:
    """Mixed into a model form by `with_masking`: masks the identifiers of an existing record."""

    masking_request: HttpRequest

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance  # type: ignore[attr-defined]
        if instance.pk is None:
            return  # a new record's numbers are typed in by the user
        allowed = may_reveal(self.masking_request.user, instance)
        fields: dict[str, forms.Field] = self.fields  # type: ignore[attr-defined]
        for name, mask in sensitive_fields(instance).items():
            if name in fields:
                fields[name] = _masked_field(fields[name], instance, name, mask, allowed)

    @property
    def edited_identifiers(self) -> list[str]:
        """Identifiers this form changed on an existing record: each counts as a reveal."""
        fields = self.fields  # type: ignore[attr-defined]
        changed = self.changed_data  # type: ignore[attr-defined]
        return [name for name in changed if isinstance(fields[name], RevealableField)]


def _masked_field(
    field: forms.Field, instance: Model, name: str, mask: Masker, allowed: bool
) -> forms.Field:
    original = getattr(instance, name) or ""
    if not allowed:
        field.disabled = True
        field.widget = MaskedText(mask)
        return field
    if not original:
        return field  # nothing to hide yet
    url = reveal_url(instance, name)
    return RevealableField(field, original=original, masked=mask(original), url=url)


def with_masking(form: type[forms.BaseForm], request: HttpRequest) -> type[forms.BaseForm]:
    """The admin's form class for this request, masking identifiers of its model if any."""
    if not sensitive_fields(form._meta.model):  # type: ignore[attr-defined]
        return form
    return type(form.__name__, (MaskedFieldsForm, form), {"masking_request": request})


class MaskedDisplay:
    """A read-only field that shows the masked value, and the reveal button to those allowed.

    Read-only admin fields show a model field's raw value, so on pages without edit rights the
    field's name is swapped for this callable (equal for the same field and user).
    """

    def __init__(self, name: str, label: str, mask: Masker, user: Any) -> None:
        self.__name__, self.short_description = name, label
        self.mask, self.user = mask, user

    def __call__(self, obj: Model) -> str:
        value = getattr(obj, self.__name__) or ""
        if not value or obj.pk is None or not may_reveal(self.user, obj):
            return self.mask(value)
        target = f"reveal-{obj._meta.model_name}-{obj.pk}-{self.__name__}"
        return format_html(
            '<span id="{}" class="masked-value">{}</span> ' + BUTTON,
            target,
            self.mask(value),
            reveal_url(obj, self.__name__),
            target,
        )

    def __str__(self) -> str:
        return self.__name__

    def _key(self) -> tuple:
        return (self.__name__, getattr(self.user, "pk", None))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MaskedDisplay) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


def swap_names(fieldsets: Any, displays: dict[str, MaskedDisplay]) -> list:
    """`fieldsets` with each masked field's name replaced by its display."""
    return [
        (title, {**options, "fields": [_swap_line(line, displays) for line in options["fields"]]})
        for title, options in fieldsets
    ]


def _swap_line(line: Any, displays: dict[str, MaskedDisplay]) -> Any:
    # A fieldset line is a name or a tuple of names; a display must sit in a tuple.
    if isinstance(line, str):
        return (displays[line],) if line in displays else line
    if not isinstance(line, list | tuple):
        return (line,)  # a display already listed among the read-only fields
    return tuple(displays.get(name, name) if isinstance(name, str) else name for name in line)
