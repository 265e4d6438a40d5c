"""The one-time code form of the second factor."""

from django import forms
from django.core.validators import RegexValidator


class TokenForm(forms.Form):
    token = forms.CharField(
        label="动态验证码",
        min_length=6,
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", "请输入 6 位数字验证码。")],
        help_text="打开手机上的身份验证器应用，输入显示的 6 位数字。",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )
