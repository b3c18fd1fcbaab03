import datetime as dt

import pytest
from django.utils import translation

from districts.models import District, HelpKiosk, OverdueNotice
from inquiries.kinds import InquiryKind

pytestmark = pytest.mark.django_db


def test_the_five_urmia_districts_with_the_article_dates():
    got = {d.number: d.transfer_online_since for d in District.objects.all()}
    assert got == {
        1: dt.date(2020, 10, 11),
        2: None,
        3: dt.date(2021, 5, 25),
        4: dt.date(2022, 10, 15),
        5: dt.date(2020, 11, 10),
    }
    for district in District.objects.exclude(number=2):
        assert (
            district.bank_online_since
            == district.agency_online_since
            == district.transfer_online_since
        )


def test_a_kiosk_in_every_online_district_only():
    assert sorted(HelpKiosk.objects.values_list("district__number", flat=True)) == [1, 3, 4, 5]


def test_online_per_kind_and_date():
    d4 = District.objects.get(number=4)
    assert not d4.is_online_for(InquiryKind.TRANSFER, on=dt.date(2022, 10, 14))
    assert d4.is_online_for(InquiryKind.TRANSFER, on=dt.date(2022, 10, 15))
    d4.bank_online_since = None
    assert d4.online_kinds(on=dt.date(2023, 1, 1)) == [InquiryKind.TRANSFER, InquiryKind.AGENCY]
    d2 = District.objects.get(number=2)
    assert not d2.is_online
    assert d2.first_online_since is None


def test_switching_a_district_online_in_the_admin_takes_a_jalali_date(client_for, ict_admin):
    d2 = District.objects.get(number=2)
    client = client_for(ict_admin)
    page = client.get(f"/admin/districts/district/{d2.pk}/change/")
    assert page.status_code == 200
    data = {
        "number": "2",
        "name": d2.name,
        "transfer_online_since": "۱۴۰۵/۰۹/۰۱",
        "bank_online_since": "1405-09-01",
        "agency_online_since": "",
        "address": d2.address,
        "phone": "",
        "email": "",
        "office_hours": d2.office_hours,
        "kiosks-TOTAL_FORMS": "0",
        "kiosks-INITIAL_FORMS": "0",
        "kiosks-MIN_NUM_FORMS": "0",
        "kiosks-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"/admin/districts/district/{d2.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    d2.refresh_from_db()
    assert d2.transfer_online_since == dt.date(2026, 11, 22)  # 1405/09/01
    assert d2.bank_online_since == dt.date(2026, 11, 22)
    assert d2.agency_online_since is None


def test_admin_shows_dates_in_jalali(client_for, ict_admin):
    html = client_for(ict_admin).get("/admin/districts/district/").content.decode()
    assert "۲۰ مهر ۱۳۹۹" in html
    change = (
        client_for(ict_admin)
        .get(f"/admin/districts/district/{District.objects.get(number=1).pk}/change/")
        .content.decode()
    )
    assert 'value="1399-07-20"' in change


def test_admin_refuses_an_impossible_jalali_date(client_for, ict_admin):
    d2 = District.objects.get(number=2)
    response = client_for(ict_admin).post(
        f"/admin/districts/district/{d2.pk}/change/",
        {
            "number": "2",
            "name": d2.name,
            "transfer_online_since": "1401/12/30",
            "address": d2.address,
            "kiosks-TOTAL_FORMS": "0",
            "kiosks-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "۱۴۰۱/۱۰/۲۵" in response.content.decode() or "1401/10/25" in response.content.decode()


def test_an_overdue_notice_prints_its_day_and_count_in_the_reader_digits():
    notice = OverdueNotice(
        district=District.objects.get(number=1), day=dt.date(2023, 1, 15), overdue_count=12
    )
    with translation.override("fa"):
        assert str(notice) == "منطقه یک ۱۴۰۱/۱۰/۲۵: ۱۲"
    with translation.override("en"):
        assert str(notice) == "منطقه یک 1401/10/25: 12"
