"""Masking of personal identifiers, as lists, exports and printouts show them by default."""

from collections.abc import Callable


def mask_id_number(number: str | None) -> str:
    """`142232199001011234` → `142232********1234`: area kept, birth date and sequence hidden."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str | None) -> str:
    """`13812345678` → `138****5678`; a landline keeps its first and last digits likewise."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return phone[:1] + "*" * (len(phone) - 1)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


Masker = Callable[[str | None], str]

# The fields shown masked everywhere and revealed one record at a time (accounts.reveal).
# 残疾证号 is the ID number followed by the disability's category and grade: masked alike.
SENSITIVE_FIELDS: dict[str, dict[str, Masker]] = {
    "households.household": {"phone": mask_phone},
    "households.member": {"id_number": mask_id_number, "disability_card_number": mask_id_number},
    "cadres.cadre": {"phone": mask_phone},
    "cadres.helpingunit": {"contact_phone": mask_phone},
}

# Registry import change lists name columns by label only (`成员·证件号码`): mask by label end.
SENSITIVE_LABELS: dict[str, Masker] = {
    "证件号码": mask_id_number,
    "残疾证号": mask_id_number,
    "联系电话": mask_phone,
}


def sensitive_fields(model: object) -> dict[str, Masker]:
    """The masked fields of a model class or instance (empty for models without any)."""
    return SENSITIVE_FIELDS.get(model._meta.label_lower, {})  # type: ignore[attr-defined]


def mask_labelled(label: str, value: str | None) -> str:
    """A value of a registry change list, masked when its column is an identifier."""
    for ending, mask in SENSITIVE_LABELS.items():
        if label.endswith(ending) and value not in (None, "", "（空）"):
            return mask(value)
    return value or ""
