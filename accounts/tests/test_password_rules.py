import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import translation


def test_a_short_password_is_refused_in_persian_with_persian_digits():
    with translation.override("fa"), pytest.raises(ValidationError) as refused:
        password_validation.validate_password("\u200bکوتاه")
    assert refused.value.messages == ["این گذرواژه کوتاه است: دست‌کم ۸ نویسه به کار ببرید."]
