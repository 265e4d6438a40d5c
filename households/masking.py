"""Masking of personal identifiers, as lists, exports and printouts show them by default."""


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
