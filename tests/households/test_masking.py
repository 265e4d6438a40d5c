from households.masking import mask_id_number, mask_phone


def test_id_number_keeps_area_code_and_last_four():
    assert mask_id_number("142232199001011234") == "142232********1234"


def test_mobile_phone_keeps_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"


def test_empty_values_stay_empty():
    assert mask_id_number("") == "" and mask_phone(None) == ""


def test_short_values_are_fully_hidden():
    assert "1" not in mask_id_number("1234567")
