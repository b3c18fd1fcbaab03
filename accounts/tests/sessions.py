"""Test clients signed in as a real sign-in leaves them."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY


def with_second_factor(user, persistent_id: str) -> Client:
    """Signed in, with the second factor passed on the device ``persistent_id`` names (which may
    name a device that is not theirs, or none)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = persistent_id
    session.save()
    return client
