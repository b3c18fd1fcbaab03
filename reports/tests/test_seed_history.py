"""``seed_history``: the article's history, loaded once for the module (in a transaction rolled
back at its end) as ``make run HISTORY=1`` loads it — over the demo's inquiries, with ``--reset`` —
and checked against the article and the project's own rules."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import Counter, defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from counters.models import CounterOffice, OfficeVisit, TrainingAttendance, VisitFinding
from districts.models import District, KioskHelpLog
from inquiries import summaries
from inquiries.models import (
    Answer,
    AnswerStatus,
    Inquiry,
    InquiryEvent,
    LetterCounter,
    TransferDetails,
)
from inquiries.property_codes import renovation_code_parse
from inquiries.tracking import tracking_code_is_valid
from inquiries.workflow import Action, Channel, InquiryStatus
from reports import history, published
from shahrvand.identifiers import mobile_is_canonical, national_id_is_valid
from shahrvand.workdays import is_working_day

END = dt.date(2023, 1, 15)  # 1401/10/25
LAUNCHES = {
    1: dt.date(2020, 10, 11),
    5: dt.date(2020, 11, 10),
    3: dt.date(2021, 5, 25),
    4: dt.date(2022, 10, 15),
}

# The history is built once per worker that runs these tests: keep them on one worker.
pytestmark = pytest.mark.xdist_group("seed_history")


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        # The demo's inquiries, made through the services: events, a request for information,
        # attachments, a signed answer with its PDF.
        call_command("seed_demo", "--force", stdout=io.StringIO())
        out = io.StringIO()
        call_command("seed_history", "--reset", "--force", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(loaded, db):
    return loaded


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _checksum(rows) -> str:
    return hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()


def test_district_stats_prints_the_articles_table(seeded):
    out = io.StringIO()
    call_command("district_stats", "--to", "1401-10-25", "--format", "csv", stdout=out)
    assert out.getvalue() == (
        "district,inquiries\n1,8427\n2,0\n3,1891\n4,656\n5,5270\ntotal,16244\n"
    )
    assert "16,244" in seeded


def test_the_districts_are_online_from_the_articles_dates(seeded):
    for district in District.objects.all():
        since = LAUNCHES.get(district.number)
        assert district.transfer_online_since == since
        assert district.bank_online_since == since
        assert district.agency_online_since == since


def test_no_inquiry_before_its_districts_launch_nor_after_the_article(seeded):
    for number, since in LAUNCHES.items():
        span = Inquiry.objects.filter(district__number=number).aggregate(
            first=Min("submitted_at"), last=Max("submitted_at")
        )
        assert _local_day(span["first"]) >= since
        assert _local_day(span["last"]) <= END
    assert not Inquiry.objects.filter(district__number=2).exists()
    assert not InquiryEvent.objects.filter(
        created_at__gte=timezone.make_aware(dt.datetime(2023, 1, 16))
    ).exists()


def test_the_summaries_are_exact(seeded):
    assert summaries.check() == []


def test_fewer_inquiries_on_holidays_and_days_off(seeded):
    per_day = Counter(
        _local_day(at) for at in Inquiry.objects.values_list("submitted_at", flat=True)
    )
    working, off = [], []
    day = LAUNCHES[1]
    while day <= END:
        (working if is_working_day(day) else off).append(per_day.get(day, 0))
        day += dt.timedelta(days=1)
    assert off and working
    assert sum(off) / len(off) < 0.5 * sum(working) / len(working)


def test_each_district_ramps_up_after_its_launch(seeded):
    for number, since in LAUNCHES.items():
        days = [
            _local_day(at)
            for at in Inquiry.objects.filter(district__number=number).values_list(
                "submitted_at", flat=True
            )
        ]
        first_week = sum(1 for d in days if d < since + dt.timedelta(days=7))
        weeks_six_to_eight = sum(
            1 for d in days if since + dt.timedelta(days=42) <= d < since + dt.timedelta(days=63)
        )
        assert first_week < weeks_six_to_eight / 3 / 2


def test_kinds_and_channels_are_plausible(seeded):
    kinds = Counter(Inquiry.objects.values_list("kind", flat=True))
    assert kinds["transfer"] > kinds["bank"] > kinds["agency"] > 0
    channels = Counter(Inquiry.objects.values_list("channel", flat=True))
    # The history ends before institutions filed through the API.
    assert set(channels) == set(Channel.values) - {Channel.INSTITUTION_API}
    # Offices and kiosks are closed on days off: what comes in then comes in online.
    for inquiry in Inquiry.objects.exclude(channel=Channel.WEB).only("submitted_at")[::50]:
        assert is_working_day(_local_day(inquiry.submitted_at))


def test_identifiers_are_valid_and_unique(seeded):
    rows = list(
        Inquiry.objects.values_list(
            "tracking_code", "applicant_national_id", "applicant_mobile", "district__number",
            "property__renovation_code",
        )
    )  # fmt: skip
    assert len({row[0] for row in rows}) == len(rows) == published.INQUIRIES_TOTAL
    for code, national_id, mobile, number, renovation in rows:
        assert tracking_code_is_valid(code)
        assert national_id_is_valid(national_id)
        assert mobile_is_canonical(mobile)
        assert renovation_code_parse(renovation).district_number == number
    for inquiry in Inquiry.objects.order_by("pk")[::400]:
        inquiry.full_clean()


def test_a_notary_offices_transfers_carry_its_letters_and_the_others_none(seeded):
    transfers = TransferDetails.objects.select_related("inquiry__office")
    by_notary = transfers.filter(inquiry__channel=Channel.NOTARY_OFFICE)
    assert by_notary.exists()
    letters = set()
    for details in by_notary:
        number, _serial = details.letter_number.split("/")
        assert int(number) == details.inquiry.office.number == details.notary_office_number
        assert details.letter_date <= _local_day(details.inquiry.submitted_at)
        letters.add(details.letter_number)
    assert len(letters) == by_notary.count()  # each office numbers its letters once
    others = transfers.exclude(inquiry__channel=Channel.NOTARY_OFFICE)
    assert not others.exclude(letter_number="").exists()
    assert not others.filter(letter_date__isnull=False).exists()
    for details in by_notary[::300]:
        details.full_clean()


def test_nearly_all_are_answered_mostly_in_time_with_signed_answers(seeded):
    statuses = Counter(Inquiry.objects.values_list("status", flat=True))
    total = sum(statuses.values())
    assert statuses[InquiryStatus.ANSWERED] > 0.9 * total
    assert 0 < statuses[InquiryStatus.WITHDRAWN] < 0.06 * total
    assert statuses[InquiryStatus.NEEDS_INFO] > 0
    still_open = statuses[InquiryStatus.SUBMITTED] + statuses[InquiryStatus.IN_REVIEW]
    assert 0 < still_open < 0.02 * total
    answered = Inquiry.objects.filter(status=InquiryStatus.ANSWERED)
    in_time = sum(
        1 for at, due in answered.values_list("answered_at", "due_date") if _local_day(at) <= due
    )
    assert 0.75 * answered.count() < in_time < answered.count()
    decisions = Counter(answered.values_list("decision", flat=True))
    assert decisions.most_common(1)[0][0] == "no_objection"
    assert set(decisions) == {"no_objection", "conditional", "violations", "cannot_answer"}
    # One signed answer each, the decision and time of the inquiry's.
    answers = {a.inquiry_id: a for a in Answer.objects.filter(status=AnswerStatus.SIGNED)}
    assert len(answers) == answered.count() == Answer.objects.count()
    for inquiry in answered[::97]:
        answer = answers[inquiry.pk]
        assert answer.decision == inquiry.decision
        assert answer.signed_at == inquiry.answered_at
        assert answer.prepared_at <= answer.signed_at
    # The next letter a district signs does not repeat one of the history's.
    last = defaultdict(int)
    for letter in Answer.objects.values_list("letter_number", flat=True):
        number, year, serial = letter.split("/")
        last[(int(number), int(year))] = max(last[(int(number), int(year))], int(serial))
    for (number, year), serial in last.items():
        assert LetterCounter.objects.get(district__number=number, year=year).last == serial


def test_every_inquirys_events_tell_its_story(seeded):
    events = defaultdict(list)
    for inquiry_id, action, to_status, at in InquiryEvent.objects.order_by(
        "created_at", "pk"
    ).values_list("inquiry_id", "action", "to_status", "created_at"):
        events[inquiry_id].append((action, to_status, at))
    for pk, status, submitted_at, answered_at in Inquiry.objects.values_list(
        "pk", "status", "submitted_at", "answered_at"
    ):
        story = events[pk]
        assert story[0] == (Action.SUBMIT, InquiryStatus.SUBMITTED, submitted_at)
        assert story[-1][1] == status
        if status == InquiryStatus.ANSWERED:
            assert (Action.ANSWER, InquiryStatus.ANSWERED, answered_at) in story


def test_the_articles_offices_are_trained_visited_and_file_after_training(seeded):
    trained = TrainingAttendance.objects.values_list("office__kind", "office_id").distinct()
    kinds = Counter(kind for kind, _office in trained)
    assert kinds == {"counter": 79, "notary": 80}
    assert CounterOffice.objects.count() == 159
    first_training = dict(
        TrainingAttendance.objects.values_list("office_id").annotate(first=Min("session__date"))
    )
    for office_id, submitted_at in Inquiry.objects.filter(office__isnull=False).values_list(
        "office_id", "submitted_at"
    )[::25]:
        assert _local_day(submitted_at) > first_training[office_id]
    assert OfficeVisit.objects.filter(date__lte=END).count() == OfficeVisit.objects.count() > 159
    assert VisitFinding.objects.exists()
    # Each finding's follow-up history ends where the finding stands.
    for finding in VisitFinding.objects.prefetch_related("events"):
        moves = [(e.from_state, e.to_state) for e in finding.events.all()]
        assert (moves[-1][1] if moves else "open") == finding.state


def test_kiosks_help_from_their_districts_launch(seeded):
    for number, since in LAUNCHES.items():
        logs = KioskHelpLog.objects.filter(district__number=number)
        assert logs.count() > 0
        assert _local_day(logs.aggregate(first=Min("created_at"))["first"]) >= since
    assert not KioskHelpLog.objects.filter(district__number=2).exists()


def test_it_refuses_a_database_that_holds_inquiries(seeded):
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_history", "--force", stdout=io.StringIO())
    assert Inquiry.objects.count() == published.INQUIRIES_TOTAL


def test_it_refuses_with_debug_off_unless_forced(db):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_history", stdout=io.StringIO())


def test_reset_replaced_the_demos_inquiries_and_kept_its_accounts(seeded):
    assert "Deleted: 1 requests for information, 1 answers, 4 attachments, 4 drafts" in seeded
    assert "4 inquiries" in seeded
    User = get_user_model()
    assert User.objects.filter(username__in=["admin", "reviewer1", "pishkhan1"]).count() == 3
    assert not Inquiry.objects.filter(applicant_national_id="0012345679").exists()


def test_the_same_seed_gives_the_same_history(seeded):
    filed = Inquiry.objects.values_list("tracking_code", "district__number", "submitted_at")
    again = history.plan()
    assert len(again) == published.INQUIRIES_TOTAL
    assert _checksum(again) == _checksum(filed)
    assert _checksum(history.plan(seed=history.DEFAULT_SEED + 1)) != _checksum(filed)


def test_reset_deletes_the_inquiries_and_what_hangs_on_them(seeded):
    deleted = history.reset()
    assert deleted["inquiries"] == published.INQUIRIES_TOTAL
    assert not Inquiry.objects.exists()
    assert not InquiryEvent.objects.exists()
    assert not Answer.objects.exists()
    assert not KioskHelpLog.objects.filter(staff__username__startswith=history.USER_PREFIX)
    assert summaries.check() == []
    assert District.objects.count() == 5


ARTICLE = {1: 8_427, 2: 0, 3: 1_891, 4: 656, 5: 5_270}


def test_the_dashboard_and_its_exports_show_the_articles_table(seeded, client_for):
    """After the history, the screen, the CSV and the Excel workbook for the period up to
    1401/10/25 give exactly the article's figures; a district manager sees only their district."""
    import csv

    from openpyxl import load_workbook

    from accounts.tests.factories import UserFactory
    from districts.models import DistrictRole
    from districts.tests.factories import DistrictMembershipFactory

    period = {"date_to": "1401/10/25"}
    client = client_for(UserFactory(ict_admin=True))

    page = client.get("/reports/", period)
    assert page.status_code == 200
    report = page.context["report"]
    assert {row.district.number: row.figures.total for row in report.rows} == ARTICLE
    assert report.totals.total == published.INQUIRIES_TOTAL

    text = client.get("/reports/districts.csv", period).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert {int(r[0]): int(r[2]) for r in rows[1:] if r[0]} == ARTICLE
    assert int(rows[-1][2]) == published.INQUIRIES_TOTAL

    book = load_workbook(io.BytesIO(client.get("/reports/districts.xlsx", period).content))
    sheet = book.worksheets[0]
    found = {}
    for values in sheet.iter_rows(values_only=True):
        if values and isinstance(values[0], int) and isinstance(values[2], int):
            found[values[0]] = values[2]
    assert found == ARTICLE

    manager = UserFactory()
    DistrictMembershipFactory(
        user=manager, district=District.objects.get(number=3), role=DistrictRole.MANAGER
    )
    own = client_for(manager).get("/reports/districts.csv", period).content.decode("utf-8-sig")
    own_rows = list(csv.reader(io.StringIO(own)))[1:]
    assert [(int(r[0]), int(r[2])) for r in own_rows if r[0]] == [(3, 1_891)]
