"""How sensitive values appear in the audit trail: field by field, whoever wrote the entry.

ID numbers and phones keep the shape the rest of the system shows (`142232********1234`,
`138****5678`), so an auditor can tell which number changed without reading it. Health,
disability and income values are withheld: the trail says the field changed, not to what.

auditlog's own `mask_fields` cannot do this: its `mask_callable` receives a bare value with no
field name, so one model cannot mask its ID number one way and its phone another. The masks are
applied instead to every entry's `changes` before it is stored (see `registry.mask_entry`) and
by `services.bulk_rows`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from households.masking import mask_id_number, mask_phone
from households.models import YearlyIncome

WITHHELD = "（已隐去）"
# Empty as auditlog and the registry preview write it: whether a value was set is not sensitive.
EMPTY = ("", "None", "（空）")


def withhold(value: str) -> str:
    return WITHHELD


Masker = Callable[[str], str]
SENSITIVE: dict[str, dict[str, Masker]] = {
    "households.household": {"phone": mask_phone, "registry_income_per_capita": withhold},
    "households.member": {
        "id_number": mask_id_number,
        "health": withhold,
        # 残疾证号 is the ID number followed by the disability's category and grade.
        "disability_card_number": withhold,
    },
    "households.yearlyincome": dict.fromkeys(YearlyIncome.MONEY_FIELDS, withhold),
    "households.helpmeasure": {"result_income": withhold},
    "cadres.cadre": {"phone": mask_phone},
}


def mask_value(masker: Masker, value: Any) -> Any:
    if value is None or str(value) in EMPTY:
        return value
    return masker(str(value))


def mask_changes(label: str, changes: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """`changes` ({field: [old, new]}) of a `label` ("app.model") entry, sensitive values masked."""
    maskers = SENSITIVE.get(label)
    if not maskers or not changes:
        return changes
    masked = dict(changes)
    for name, masker in maskers.items():
        values = masked.get(name)
        if isinstance(values, list | tuple):
            masked[name] = [mask_value(masker, value) for value in values]
    return masked
