"""The interface is Chinese, including the few strings Django's own catalogue leaves English."""

from django.urls import reverse


def test_admin_list_has_no_untranslated_blank_choice(admin_client):
    response = admin_client.get(reverse("admin:households_household_changelist"))
    html = response.content.decode()
    assert "Select an option" not in html
    assert "- 请选择 -" in html


def test_date_hierarchy_label_is_chinese(admin_client):
    response = admin_client.get(reverse("admin:inspections_rectification_changelist"))
    html = response.content.decode()
    assert "Filter by" not in html
    assert "按整改期限筛选" in html


def test_javascript_catalogue_has_the_timezone_note_in_chinese(admin_client):
    response = admin_client.get(reverse("admin:jsi18n"))
    # The catalogue is JSON with non-ASCII characters escaped.
    assert (
        "请按%(timezone)s时区输入时间".encode("unicode_escape").decode()
        in response.content.decode()
    )
