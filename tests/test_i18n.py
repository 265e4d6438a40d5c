"""The interface is Chinese, including the few strings Django's own catalogue leaves English."""

from django.urls import reverse


def test_admin_list_has_no_untranslated_blank_choice(admin_client):
    response = admin_client.get(reverse("admin:households_household_changelist"))
    html = response.content.decode()
    assert "Select an option" not in html
    assert "- 请选择 -" in html
