"""A password the ICT admin set for a reviewer is theirs to replace before anything else."""

import pytest
from playwright.sync_api import expect

from accounts.services_power import user_set_password_by_admin
from accounts.tests.factories import UserFactory
from districts.models import DistrictRole
from districts.tests.factories import DistrictMembershipFactory, district

pytestmark = pytest.mark.e2e

GIVEN = "given-by-ict-1405"
OWN = "my-own-secret-1405"


def test_a_reviewer_must_replace_a_password_set_by_the_ict_admin(page, reference_data):
    admin = UserFactory(username="ict-admin", ict_admin=True)
    reviewer = UserFactory(username="reviewer-reset")
    DistrictMembershipFactory(user=reviewer, district=district(1), role=DistrictRole.REVIEWER)
    user_set_password_by_admin(actor=admin, user=reviewer, raw_password=GIVEN)

    page.goto(page.base + "/accounts/login/")
    page.locator("#id_username").fill("reviewer-reset")
    page.locator("#id_password").fill(GIVEN)
    page.locator("#id_password").press("Enter")
    expect(page.get_by_test_id("password-change-required")).to_be_visible()

    page.goto(page.base + "/staff/")  # any other page sends them back
    expect(page.get_by_test_id("password-change-required")).to_be_visible()

    page.locator("#id_old_password").fill(GIVEN)
    page.locator("#id_new_password1").fill(OWN)
    page.locator("#id_new_password2").fill(OWN)
    page.locator("#id_new_password2").press("Enter")
    page.goto(page.base + "/staff/")
    expect(page).to_have_url(page.base + "/staff/")
    reviewer.refresh_from_db()
    assert not reviewer.must_change_password
    assert reviewer.check_password(OWN)
