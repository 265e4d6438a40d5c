"""Log a test client in past the second factor, as an administrator role must be."""

from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY

from tests.accounts.factories import TOTPDeviceFactory


def force_login_verified(client: Any, user: Any) -> Any:
    """force_login, then mark the session verified by a confirmed TOTP device of the user."""
    device = TOTPDeviceFactory(user=user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
