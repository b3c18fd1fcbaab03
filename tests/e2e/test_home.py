import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_is_persian_rtl_with_vazirmatn_and_the_districts(page):
    # The browser asks for English; the portal still answers in Persian.
    page.goto(page.base + "/")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "fa")
    expect(page.locator("h1")).to_contain_text("استعلامات شهرسازی")

    page.evaluate("document.fonts.ready")
    loaded = page.evaluate(
        """() => [...document.fonts].some(f => f.family.replace(/"/g, '') === 'Vazirmatn'
                                              && f.status === 'loaded')"""
    )
    assert loaded, "the self-hosted Vazirmatn font did not load"
    assert page.evaluate("document.fonts.check('16px Vazirmatn')")
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Vazirmatn"') or family.startswith("Vazirmatn")

    cards = page.locator("[data-testid=districts] article")
    expect(cards).to_have_count(5)
    district2 = page.locator("article[data-district='2']")
    expect(district2).to_contain_text("هنوز برخط نشده")
    expect(district2).to_contain_text("ساختمان شهرداری منطقه دو")
    expect(page.locator("article[data-district='1']")).to_contain_text("۲۰ مهر ۱۳۹۹")

    # Nothing sticks out sideways, from a phone to a desktop.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_menu_and_skip_link_work_by_keyboard(page):
    page.goto(page.base + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    if page.viewport_name == "phone":
        toggler = page.locator(".navbar-toggler")
        expect(toggler).to_be_visible()
        toggler.click()
    expect(page.get_by_role("link", name="پیگیری استعلام").first).to_be_visible()


def test_staff_sign_in(page):
    UserFactory(username="reviewer1", first_name="مریم", last_name="کارشناس")
    page.goto(page.base + "/accounts/login/")
    page.get_by_label("نام کاربری").fill("reviewer1")
    page.get_by_label("گذرواژه").fill("wrong-password")
    page.get_by_role("button", name="ورود").click()
    expect(page.locator("main")).to_contain_text("نام کاربری یا گذرواژه نادرست است")
    page.get_by_label("گذرواژه").fill("secret-pass-1401")
    page.get_by_role("button", name="ورود").click()
    expect(page).to_have_url(page.base + "/")
    if page.viewport_name == "phone":
        page.locator(".navbar-toggler").click()
    expect(page.get_by_test_id("signed-in-as")).to_have_text("مریم کارشناس")
