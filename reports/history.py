"""The source article's history as data: every inquiry the four online districts received from
their launch to the article's date (1401/10/25), with the numbers the article printed
(``reports.published``), and what goes with them: the 159 offices and their training, the ICT
organisation's visits and their findings, the kiosks' help records.

``build(seed)`` fills a database that holds no inquiry; ``reset()`` empties it again of inquiries
and of everything that hangs on them. Both are what the ``seed_history`` command runs.

What the history looks like, and why:

- Inquiries per district exactly as published, filed only from the district's online date (the
  dates below, the article's), growing over the weeks after each launch and slowly with use.
- Fewer inquiries on official holidays, weekly days off and in the Nowruz fortnight
  (``shahrvand.workdays``); offices and kiosks are closed then, so those come in online only.
- Kinds: mostly transfers (notaries are their main source), then bank, then agency inquiries.
  Channels: citizens online, the counter and notary offices (each from its training day on), the
  district's kiosk.
- Nearly all answered by the end, in working days, mostly within the district's service level,
  some late; some sent back for more information (the clock pauses), some withdrawn; the ones
  filed in the last days are still open at the end. Each answer is a signed ``Answer`` row with a
  letter number and a verification code, its PDF still owed (the PDF sweeper renders them when a
  worker runs).
- Events for every step (submit, review, request, resubmit, answer prepared and signed,
  withdraw), never after the article's day.

Everything comes from one seeded random generator and the reference data (districts, service
levels, offices, banks, reasons), so the same seed on the same database gives the same rows;
timestamps are the history's own, never the time the command ran. Rows go in with
``bulk_create``; the summaries are rebuilt once at the end (``summaries.repair``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone

from counters.models import (
    CounterOffice,
    FindingCategory,
    FindingEvent,
    FindingState,
    OfficeKind,
    OfficeMembership,
    OfficeRole,
    OfficeVisit,
    TrainingAttendance,
    TrainingSession,
    VisitFinding,
)
from districts.models import (
    District,
    DistrictMembership,
    DistrictRole,
    HelpKiosk,
    KioskHelpLog,
    KioskTopic,
    ServiceLevel,
)
from inquiries import summaries
from inquiries.kinds import InquiryKind
from inquiries.models import (
    AgencyDetails,
    Answer,
    AnswerDue,
    AnswerStatus,
    Attachment,
    Bank,
    BankDetails,
    DeficiencyReason,
    InfoRequest,
    Inquiry,
    InquiryDraft,
    InquiryEvent,
    LetterCounter,
    Property,
    TransferDetails,
    VerificationLog,
)
from inquiries.models.answer import CertificateType, RoadWidening, SignerRole
from inquiries.tracking import ALPHABET, RANDOM_LENGTH, tracking_code_from
from inquiries.workflow import Action, Channel, InquiryStatus
from reports import published
from shahrvand import jalali
from shahrvand.workdays import add_working_days, is_working_day, working_days_between

DEFAULT_SEED = 1401
END = published.PUBLISHED_ON  # the article's day, 1401/10/25: nothing happens after it

# The article's launch dates; district 2 was not online yet.
ONLINE_SINCE = {
    1: dt.date(2020, 10, 11),  # 1399/07/20, the pilot
    5: dt.date(2020, 11, 10),  # 1399/08/20
    3: dt.date(2021, 5, 25),  # 1400/03/04
    4: dt.date(2022, 10, 15),  # 1401/07/23
}
assert set(ONLINE_SINCE) == {n for n, count in published.INQUIRIES_BY_DISTRICT.items() if count}

# The accounts the history makes for its staff and office operators start with this; citizens'
# usernames are their national IDs, as when they sign in.
USER_PREFIX = "history-"
ICT_USERNAME = f"{USER_PREFIX}ict"
# The history's citizens: no usable password (they sign in by SMS code), and this one marks them.
CITIZEN_PASSWORD = "!history-citizen"

S = InquiryStatus
KINDS = ((InquiryKind.TRANSFER, 56), (InquiryKind.BANK, 29), (InquiryKind.AGENCY, 15))
CHANNELS = {
    InquiryKind.TRANSFER: (
        (Channel.NOTARY_OFFICE, 46),
        (Channel.WEB, 24),
        (Channel.COUNTER_OFFICE, 22),
        (Channel.KIOSK, 8),
    ),
    InquiryKind.BANK: (
        (Channel.WEB, 42),
        (Channel.COUNTER_OFFICE, 38),
        (Channel.KIOSK, 16),
        (Channel.NOTARY_OFFICE, 4),
    ),
    InquiryKind.AGENCY: ((Channel.COUNTER_OFFICE, 42), (Channel.WEB, 38), (Channel.KIOSK, 20)),
}
OFFICE_KIND_OF = {
    Channel.COUNTER_OFFICE: OfficeKind.COUNTER,
    Channel.NOTARY_OFFICE: OfficeKind.NOTARY,
}
DECISIONS = (("no_objection", 70), ("conditional", 17), ("violations", 10), ("cannot_answer", 3))

WITHDRAWN_EARLY = 0.025  # withdrawn before anyone looked at it
SENT_BACK = {Channel.WEB: 0.07, Channel.COUNTER_OFFICE: 0.10, Channel.NOTARY_OFFICE: 0.09}
SENT_BACK_DEFAULT = 0.05  # the kiosk's staff check the documents as they file
LATE = 0.10  # answered after the due date (more in a district's first weeks)
NEW_CITIZEN = 0.72  # the rest file again
NEW_PROPERTY = 0.82  # the rest are about a property already asked about

# Where the offices the history adds sit (counter, notary), and where the existing ones do not
# change: by district, roughly by population.
OFFICE_SPREAD = {1: (25, 26), 2: (12, 13), 3: (12, 13), 4: (10, 10), 5: (20, 18)}

FIRST_NAMES = (
    "علی", "محمد", "حسین", "رضا", "مهدی", "یوسف", "جواد", "حسن", "امیر", "سعید", "بهروز", "ناصر",
    "فاطمه", "زهرا", "مریم", "سکینه", "لیلا", "سمیرا", "نرگس", "پروین", "شهلا", "آیدا", "سارا", "الناز",
)  # fmt: skip
LAST_NAMES = (
    "محمدی", "حسینی", "رضایی", "احمدی", "قاسمی", "عباسی", "نوروزی", "آذری", "ارومیه‌ای", "صمدی",
    "جعفرزاده", "قلی‌زاده", "حسن‌زاده", "علیزاده", "اسدی", "بهرامی", "پورمحمد", "خلیلی", "کریمی",
    "موسوی", "نجفی", "ولی‌زاده", "یزدانی", "شریفی", "تقی‌زاده", "اکبری", "رسولی", "فرجی",
)  # fmt: skip
STREETS = (
    "خیابان امام", "خیابان خیام", "خیابان شهید بهشتی", "بلوار جمهوری", "خیابان کاشانی",
    "بلوار والفجر", "خیابان عطایی", "خیابان سعدی", "بلوار ارتش", "خیابان مدنی", "شهرک ولیعصر",
    "بلوار دانشکده", "خیابان دریا", "کوی فرهنگیان", "شهرک آزادی", "خیابان ساحلی",
)  # fmt: skip
AGENCIES = (
    ("court", "دادگستری شهرستان ارومیه", "استعلام وضعیت ملک برای پرونده دادگستری"),
    ("land_registry", "اداره ثبت اسناد و املاک ارومیه", "استعلام برای صدور سند تفکیکی"),
    ("tax", "اداره کل امور مالیاتی آذربایجان غربی", "استعلام برای تعیین مالیات نقل و انتقال"),
    ("social_security", "سازمان تأمین اجتماعی شعبه ارومیه", "استعلام وضعیت ملک کارفرما"),
    ("enforcement", "اجرای احکام مدنی دادگستری ارومیه", "استعلام برای توقیف و مزایده ملک"),
)  # fmt: skip
CONDITIONS = (
    "رعایت عقب‌نشینی در هنگام نوسازی الزامی است.",
    "تسویه عوارض نوسازی پیش از تنظیم سند الزامی است.",
    "پاسخ برای وضع موجود ملک است و مجوز ساخت نیست.",
)
VIOLATIONS = (
    "اضافه بنا در طبقه همکف؛ پس از رأی کمیسیون ماده صد و تسویه آن پاسخ داده می‌شود.",
    "تبدیل پارکینگ به واحد تجاری؛ پس از رفع خلاف پاسخ داده می‌شود.",
    "احداث طبقه مازاد بدون پروانه؛ پرونده به کمیسیون ماده صد ارجاع شد.",
)
CANNOT_ANSWER = (
    "ملک در طرح تفصیلی شهر در محدوده طرح‌های عمومی است؛ به شهرداری منطقه مراجعه شود.",
    "پلاک ثبتی با نقشه و سوابق شهرداری مطابقت ندارد؛ بازدید میدانی لازم است.",
)
KIOSK_TOPICS = (
    (KioskTopic.HOW_TO_FILE, 30, "روش ثبت استعلام در سامانه توضیح داده شد"),
    (KioskTopic.STATUS, 25, "وضعیت استعلام با کد رهگیری بررسی و اعلام شد"),
    (KioskTopic.DOCUMENTS, 18, "مدارک لازم برای استعلام اعلام شد"),
    (KioskTopic.SIGN_IN, 12, "مشکل دریافت پیامک ورود برطرف شد"),
    (KioskTopic.ANSWER, 10, "پاسخ استعلام و روش استعلام اصالت آن توضیح داده شد"),
    (KioskTopic.OTHER, 5, "به واحد شهرسازی منطقه راهنمایی شد"),
)
FINDINGS = (
    "چند بار مدارک ناخوانا بارگذاری شده بود؛ روش اسکن درست آموزش داده شد.",
    "کد نوسازی از قبض اشتباه خوانده می‌شد؛ محل آن روی قبض نشان داده شد.",
    "سرعت اینترنت دفتر کم است؛ به دفتر توصیه شد سرویس خود را ارتقا دهد.",
    "یک کارمند تازه‌کار آموزش ندیده بود؛ آموزش حضوری داده شد.",
    "چند نفر با یک نام کاربری کار می‌کردند؛ برای هر نفر حساب جداگانه درخواست شد.",
)


@dataclass
class Step:
    """One event of an inquiry, and what it changes on the inquiry."""

    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    by: str  # "filer", "reviewer" or "signer"
    changes: dict = field(default_factory=dict)
    reasons: tuple[int, ...] = ()


@dataclass
class Planned:
    district: int
    kind: str
    channel: str
    office: CounterOffice | None
    citizen: int
    owner: tuple[str, str] | None  # (national ID, name) when an attorney files
    prop: int
    submitted: dt.datetime
    tracking_code: str = ""
    submission_key: uuid.UUID | None = None
    steps: list[Step] = field(default_factory=list)
    reviewer: int = 0
    decision: str = ""


@dataclass
class Result:
    by_district: dict[int, int]
    rows: dict[str, int]


# --- small helpers ---------------------------------------------------------------------------------


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _national_id(body: str) -> str:
    total = sum(int(body[i]) * (10 - i) for i in range(9)) % 11
    return body + str(total if total < 2 else 11 - total)


class _Clock:
    """Local (Tehran) moments, and the working days they fall on, remembered per day."""

    def __init__(self):
        self.tz = timezone.get_default_timezone()
        self._working: dict[dt.date, bool] = {}
        self._added: dict[tuple[dt.date, int], dt.date] = {}
        self._between: dict[tuple[dt.date, dt.date], int] = {}

    def working(self, day: dt.date) -> bool:
        if day not in self._working:
            self._working[day] = is_working_day(day)
        return self._working[day]

    def add(self, start: dt.date, days: int) -> dt.date:
        """``add_working_days``, remembered: the history asks the same few thousand questions."""
        key = (start, days)
        if key not in self._added:
            self._added[key] = add_working_days(start, days)
        return self._added[key]

    def between(self, start: dt.date, end: dt.date) -> int:
        key = (start, end)
        if key not in self._between:
            self._between[key] = working_days_between(start, end)
        return self._between[key]

    def at(self, day: dt.date, minutes: float) -> dt.datetime:
        minutes = int(minutes)
        return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=self.tz)

    def local_day(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.tz).date()

    def minutes(self, moment: dt.datetime) -> int:
        local = moment.astimezone(self.tz)
        return local.hour * 60 + local.minute

    def office_moment(
        self, rng: random.Random, day: dt.date, after: dt.datetime | None, opens=450, closes=840
    ) -> dt.datetime:
        """A moment within office hours (7:30 to 14:00 unless told) of the first working day on or
        after ``day``, later than ``after``."""
        while True:
            while not self.working(day):
                day += dt.timedelta(days=1)
            start = opens
            if after is not None:
                after_day = self.local_day(after)
                if after_day > day:
                    day = after_day
                    continue
                if after_day == day:
                    start = max(start, self.minutes(after) + 5)
            if start <= closes - 10:
                return self.at(day, rng.uniform(start, closes))
            day += dt.timedelta(days=1)

    def web_moment(
        self, rng: random.Random, day: dt.date, after: dt.datetime | None
    ) -> dt.datetime:
        """A moment a citizen is online, any day: mornings and evenings mostly."""
        while True:
            start = 420  # 7:00
            if after is not None:
                after_day = self.local_day(after)
                if after_day > day:
                    day = after_day
                    continue
                if after_day == day:
                    start = max(start, self.minutes(after) + 5)
            if start <= 1400:
                hour = rng.choices(range(7, 24), weights=WEB_HOURS)[0]
                minutes = max(start, hour * 60 + rng.uniform(0, 59))
                return self.at(day, min(minutes, 1410))
            day += dt.timedelta(days=1)


WEB_HOURS = (2, 5, 8, 9, 9, 8, 6, 5, 5, 5, 6, 7, 8, 8, 7, 5, 3)  # 7:00 .. 23:00


@contextmanager
def _own_timestamps(*fields):
    """Let bulk_create write the history's own times into auto_now / auto_now_add fields."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f, _now, _add in saved:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def _field(model, name):
    return model._meta.get_field(name)


def _as_is(value):
    return value


def _text(value):
    return value if value is None else str(value)


def _converter(field):
    if field.is_relation or isinstance(field, (models.IntegerField, models.BooleanField)):
        return _as_is
    if isinstance(field, (models.CharField, models.TextField)):
        return _text
    return lambda value: field.get_db_prep_save(value, connection)


def _insert(model, objs) -> None:
    """``bulk_create`` without its cost per statement: SQLite takes 999 parameters a statement, so
    bulk_create sends an INSERT for every thirty inquiries. Here one INSERT is prepared and run for
    every row (executemany), with the values each field makes ready for the database, the given
    ones in auto_now fields too. No primary keys come back: read them by a unique column.

    ``objs`` are model instances, or dicts by attname (cheaper to build when there are tens of
    thousands; a field left out takes its default)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if objs and isinstance(objs[0], dict):
        objs = [_Row(obj, fields) for obj in objs]
    converters = [(f.attname, _converter(f)) for f in fields]
    quote = connection.ops.quote_name
    # Names from the models' metadata, quoted by the database backend; values as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # nosec B608
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [tuple(convert(getattr(obj, name)) for name, convert in converters) for obj in objs]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for first in range(0, len(rows), 2000):
                cursor.executemany(sql, rows[first : first + 2000])
            return
        # Elsewhere executemany may be a round trip a row: many rows a statement instead.
        per_statement = max(1, min(1000, 30_000 // len(fields)))
        one = "({})".format(", ".join(["%s"] * len(fields)))
        for first in range(0, len(rows), per_statement):
            chunk = rows[first : first + per_statement]
            cursor.execute(
                sql.rsplit(" VALUES ", 1)[0] + " VALUES " + ", ".join([one] * len(chunk)),
                [value for row in chunk for value in row],
            )


class _Row:
    """A dict of values by attname, read like a model instance; defaults for what it leaves out."""

    __slots__ = ("values",)

    def __init__(self, values: dict, fields):
        for f in fields:
            if f.attname not in values:
                values[f.attname] = f.get_default()
        self.values = values

    def __getattr__(self, name):
        return self.values[name]


# --- reset -----------------------------------------------------------------------------------------


def _delete_all(model, where: str = "") -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        # The table from the model's metadata, quoted; ``where`` is one of this module's literals.
        cursor.execute(f"DELETE FROM {table} {where}")  # nosec B608
        return cursor.rowcount


@contextmanager
def _events_deletable():
    """On PostgreSQL the events' append-only trigger is switched off inside this transaction only;
    any error rolls the switch back with everything else. A table cannot be altered while deferred
    foreign-key checks on it are pending, so the checks are made at once meanwhile (the deletes
    go in dependency order) and deferred again after."""
    if connection.vendor != "postgresql":
        yield
        return
    table = InquiryEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [table],
        )
        triggers = [row[0] for row in cursor.fetchall()]
        for name in triggers:
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER "{name}"')
        yield
        for name in triggers:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER "{name}"')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@transaction.atomic
def reset() -> dict[str, int]:
    """Delete every inquiry and what hangs on it (requests for information, answers and their dues,
    attachment rows, submitted drafts, details, events, letter counters, the summaries), the
    properties no inquiry refers to any more, and the kiosk records, trainings and visits the
    history made. Districts, offices, accounts and the reference lists stay. Stored files of the
    deleted answers and attachments are removed once the transaction commits."""
    files = [
        (Answer._meta.get_field("pdf").storage, name)
        for name in Answer.objects.exclude(pdf="").values_list("pdf", flat=True)
    ] + [
        (Attachment._meta.get_field("file").storage, name)
        for name in Attachment.objects.filter(inquiry__isnull=False).values_list("file", flat=True)
    ]
    deleted: dict[str, int] = {}
    VerificationLog.objects.filter(answer__isnull=False).update(answer=None)  # the log stays
    _delete_all(InfoRequest.reasons.through)
    deleted["requests for information"] = _delete_all(InfoRequest)
    _delete_all(AnswerDue)
    deleted["answers"] = _delete_all(Answer)
    deleted["attachments"] = _delete_all(Attachment, "WHERE inquiry_id IS NOT NULL")
    Attachment.objects.filter(draft__inquiry__isnull=False).update(draft=None)
    deleted["drafts"] = _delete_all(InquiryDraft, "WHERE inquiry_id IS NOT NULL")
    for model in (TransferDetails, BankDetails, AgencyDetails):
        _delete_all(model)
    with _events_deletable():
        deleted["events"] = _delete_all(InquiryEvent)
    deleted["inquiries"] = _delete_all(Inquiry)
    _delete_all(LetterCounter)  # no answer is left to hold a number
    deleted["properties"] = _delete_all(Property)
    for model in summaries.SUMMARY_MODELS:
        _delete_all(model)
    deleted["kiosk records"] = KioskHelpLog.objects.filter(
        staff__username__startswith=USER_PREFIX
    ).delete()[0]
    deleted["training sessions"] = (
        TrainingSession.objects.filter(created_by__username=ICT_USERNAME)
        .delete()[1]
        .get(TrainingSession._meta.label, 0)
    )
    deleted["office visits"] = (
        OfficeVisit.objects.filter(inspector__username=ICT_USERNAME)
        .delete()[1]
        .get(OfficeVisit._meta.label, 0)
    )

    def remove_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return deleted


# --- build -----------------------------------------------------------------------------------------


class HistoryRefused(Exception):
    pass


def build(seed: int = DEFAULT_SEED) -> Result:
    """Fill a database without inquiries with the history (see the module's notes)."""
    if Inquiry.objects.exists():
        raise HistoryRefused("the database already holds inquiries")
    stamps = [
        _field(OfficeMembership, "created_at"),
        _field(DistrictMembership, "created_at"),
    ]
    with transaction.atomic(), _own_timestamps(*stamps), _queries_not_logged():
        return _Builder(seed).run()


def plan(seed: int = DEFAULT_SEED) -> list[tuple[str, int, dt.datetime]]:
    """What ``build(seed)`` files on this database once reset, without writing the inquiries:
    (tracking code, district number, filed at in UTC) of each. Like ``build``, it first makes the
    offices and accounts the history needs if they are missing."""
    stamps = [
        _field(OfficeMembership, "created_at"),
        _field(DistrictMembership, "created_at"),
    ]
    with transaction.atomic(), _own_timestamps(*stamps):
        builder = _Builder(seed)
        builder.prepare(properties_kept=False)
        return [
            (p.tracking_code, p.district, p.submitted.astimezone(dt.UTC))
            for p in builder._plan_inquiries()
        ]


@contextmanager
def _queries_not_logged():
    """With DEBUG on, Django keeps every query with its parameters: for the hundred thousand rows
    inserted here that doubles the time and holds them all in memory. Off while building."""
    debug = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.clock = _Clock()
        self.rows: Counter[str] = Counter()
        self._candidates: dict = {}

    # --- reference data and accounts

    def run(self) -> Result:
        self.prepare(properties_kept=True)
        planned = self._plan_inquiries()
        self._write_inquiries(planned)
        self._write_kiosk_logs(planned)
        self._write_trainings()
        self._write_visits()
        self.rows["summary rows"] = summaries.repair()
        by_district = Counter(p.district for p in planned)
        return Result(
            by_district={n: by_district.get(n, 0) for n in sorted(published.INQUIRIES_BY_DISTRICT)},
            rows=dict(self.rows),
        )

    def prepare(self, *, properties_kept: bool) -> None:
        """The reference data and accounts, and what the generator must not repeat (the renovation
        codes of the properties there are, unless a reset will have deleted them)."""
        self.districts = self._districts_align()
        self.service_days = self._service_days()
        self.offices = self._offices_ensure()
        self.trained_on = self._training_plan()
        self.staff = self._staff_ensure()
        self.operators = self._operators_ensure()
        self.banks = list(Bank.objects.filter(is_active=True).order_by("order", "pk"))
        self.reasons = list(DeficiencyReason.objects.filter(is_active=True).order_by("order", "pk"))
        self.categories = list(FindingCategory.objects.filter(is_active=True).order_by("order"))
        self.citizens: list[dict] = []
        # National IDs (and usernames, which a citizen's is) that others hold are avoided; the
        # history's own citizens, left by a reset, are not others: the same seed makes the same
        # people again.
        others = get_user_model().objects.exclude(password=CITIZEN_PASSWORD)
        self.national_ids = set(
            others.exclude(national_id=None).values_list("national_id", flat=True)
        ) | set(others.values_list("username", flat=True))
        self.properties: list[dict] = []
        self.properties_of: dict[int, list[int]] = defaultdict(list)
        self.codes = (
            set(Property.objects.values_list("renovation_code", flat=True))
            if properties_kept
            else set()
        )
        self.tracking_codes: set[str] = set()

    def _districts_align(self) -> dict[int, District]:
        districts = {d.number: d for d in District.objects.all()}
        missing = set(published.INQUIRIES_BY_DISTRICT) - set(districts)
        if missing:
            raise HistoryRefused(f"districts {sorted(missing)} are missing (run migrate)")
        for number, district in districts.items():
            since = ONLINE_SINCE.get(number)
            changed = False
            for kind in InquiryKind:
                name = f"{kind.value}_online_since"
                current = getattr(district, name)
                if since is not None and current != since:
                    setattr(district, name, since)
                    changed = True
                # Not online by the article's day: a later date may stay, an earlier one may not.
                if since is None and current is not None and current <= END:
                    setattr(district, name, None)
                    changed = True
            if changed:
                district.save()
            if since is not None and not HelpKiosk.objects.filter(district=district).exists():
                HelpKiosk.objects.create(
                    district=district,
                    name=f"باجه راهنمای {district.name}",
                    location=f"ساختمان شهرداری {district.name}، طبقه همکف",
                    hours="شنبه تا چهارشنبه، ساعت ۷:۳۰ تا ۱۴:۰۰",
                )
        self.kiosks = {
            number: HelpKiosk.objects.filter(district__number=number).order_by("pk").first()
            for number in ONLINE_SINCE
        }
        return districts

    def _service_days(self) -> dict[tuple[int, str], int]:
        days = {
            (level.district.number, level.kind): level.working_days
            for level in ServiceLevel.objects.select_related("district")
        }
        return {
            (number, kind.value): days.get((number, kind.value), settings.DEFAULT_SERVICE_DAYS)
            for number in ONLINE_SINCE
            for kind in InquiryKind
        }

    def _offices_ensure(self) -> dict[str, list[CounterOffice]]:
        """79 counter and 80 notary offices, the article's trained ones: those in the registry
        first (by number), and as many more as are missing."""
        wanted = {
            OfficeKind.COUNTER: published.COUNTER_OFFICES_TRAINED,
            OfficeKind.NOTARY: published.NOTARY_OFFICES_TRAINED,
        }
        made = []
        created_at = self.clock.at(dt.date(2020, 9, 1), 600)
        for index, (kind, count) in enumerate(wanted.items()):
            existing = list(CounterOffice.objects.filter(kind=kind).order_by("number"))
            numbers = {office.number for office in existing}
            spread = [n for n, shares in OFFICE_SPREAD.items() for _ in range(shares[index])]
            have = Counter(office.district.number for office in existing)
            for number in list(have):
                for _ in range(min(have[number], spread.count(number))):
                    spread.remove(number)
            candidate = 11001 if kind == OfficeKind.COUNTER else 1
            for slot in range(count - len(existing)):
                while candidate in numbers:
                    candidate += 1
                numbers.add(candidate)
                district = self.districts[spread[slot % len(spread)] if spread else 1]
                label = "دفتر پیشخوان دولت" if kind == OfficeKind.COUNTER else "دفتر اسناد رسمی"
                made.append(
                    CounterOffice(
                        kind=kind,
                        number=candidate,
                        name=f"{label} {candidate} ارومیه",
                        licence=f"{'پ' if kind == OfficeKind.COUNTER else 'ث'}-{candidate}",
                        district=district,
                        address=f"ارومیه، {STREETS[candidate % len(STREETS)]}، {district.name}",
                        # Not from the seeded generator: whether the offices exist yet must
                        # not change the history that follows.
                        manager_name=(
                            f"{FIRST_NAMES[candidate % len(FIRST_NAMES)]} "
                            f"{LAST_NAMES[candidate % len(LAST_NAMES)]}"
                        ),
                        created_at=created_at,
                    )
                )
        with _own_timestamps(_field(CounterOffice, "created_at")):
            CounterOffice.objects.bulk_create(made)
        self.rows["offices"] = len(made)
        return {
            kind: list(
                CounterOffice.objects.filter(kind=kind)
                .select_related("district")
                .order_by("number")[:count]
            )
            for kind, count in wanted.items()
        }

    def _training_plan(self) -> dict[int, dt.date]:
        """The day each office was trained: a district's offices in the week before it went online
        (district 2's offices, which file for the others, in two later rounds), in sessions of at
        most a dozen offices, one a working day."""
        waves = sorted(ONLINE_SINCE.items(), key=lambda item: item[1])
        starts = {number: since - dt.timedelta(days=8) for number, since in waves}
        starts[2] = dt.date(2021, 1, 16)
        self.sessions: list[tuple[dt.date, list[CounterOffice]]] = []
        trained = {}
        offices = self.offices[OfficeKind.COUNTER] + self.offices[OfficeKind.NOTARY]
        for number, start in sorted(starts.items(), key=lambda item: item[1]):
            group = [o for o in offices if o.district.number == number]
            if number not in starts or not group:
                continue
            day = start
            for first in range(0, len(group), 12):
                while not self.clock.working(day):
                    day += dt.timedelta(days=1)
                chunk = group[first : first + 12]
                self.sessions.append((day, chunk))
                for office in chunk:
                    trained[office.pk] = day
                day += dt.timedelta(days=1)
        # Offices of districts with no wave (a registry that names other districts): with the pilot.
        late = [o for o in offices if o.pk not in trained]
        if late:
            day = starts[waves[0][0]]
            self.sessions.append((day, late))
            trained.update({o.pk: day for o in late})
        return trained

    def _user(self, username: str, first: str, last: str, joined: dt.datetime):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "password": "!history",  # unusable: set one in the admin to sign in
                "date_joined": joined,
            },
        )
        self.rows["staff and operator accounts"] += int(created)
        return user

    def _staff_ensure(self) -> dict:
        staff: dict = {}
        joined = self.clock.at(dt.date(2020, 9, 1), 600)
        staff["ict"] = self._user(ICT_USERNAME, "کارشناس", "سازمان فاوا", joined)
        for number, since in ONLINE_SINCE.items():
            district = self.districts[number]
            joined = self.clock.at(since - dt.timedelta(days=14), 600)
            people = []
            for role, count, title in (
                (DistrictRole.REVIEWER, 3, "کارشناس شهرسازی"),
                (DistrictRole.MANAGER, 1, "معاون شهرسازی"),
                (DistrictRole.KIOSK, 1, "باجه"),
            ):
                for index in range(1, count + 1):
                    user = self._user(
                        f"{USER_PREFIX}{role}{number}-{index}", title, district.name, joined
                    )
                    DistrictMembership.objects.get_or_create(
                        user=user,
                        district=district,
                        role=role,
                        defaults={
                            "can_sign": role == DistrictRole.MANAGER,
                            "created_at": joined,
                        },
                    )
                    people.append((role, user))
            staff[number] = {
                role: [user.pk for r, user in people if r == role] for role in DistrictRole
            }
        return staff

    def _operators_ensure(self) -> dict[int, int]:
        """The user who files for each office: its first active member, or one made for it."""
        operators = {}
        for offices in self.offices.values():
            for office in offices:
                member = (
                    OfficeMembership.objects.filter(office=office, is_active=True)
                    .order_by("pk")
                    .first()
                )
                if member is None:
                    trained = self.trained_on[office.pk]
                    user = self._user(
                        f"{USER_PREFIX}{office.kind}{office.number}",
                        "متصدی",
                        office.name,
                        self.clock.at(trained, 480),
                    )
                    member = OfficeMembership.objects.create(
                        user=user,
                        office=office,
                        role=OfficeRole.MANAGER,
                        created_at=self.clock.at(trained, 480),
                    )
                operators[office.pk] = member.user_id
        return operators

    # --- people and properties

    def _name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def _new_national_id(self) -> str:
        while True:
            body = self.rng.choice(("272", "273", "274", "275", "276", "277", "278")) + str(
                self.rng.randrange(10**6)
            ).zfill(6)
            code = _national_id(body)
            if code not in self.national_ids:
                self.national_ids.add(code)
                return code

    def _citizen(self, when: dt.datetime) -> int:
        if self.citizens and self.rng.random() > NEW_CITIZEN:
            # Someone who filed before: more likely a recent one (an office's regular customers).
            back = int(len(self.citizens) * self.rng.random() ** 2)
            return len(self.citizens) - 1 - back
        mobile = self.rng.choice(("0914", "0914", "0914", "0912", "0935", "0936", "0937", "0901"))
        self.citizens.append(
            {
                "national_id": self._new_national_id(),
                "mobile": mobile + str(self.rng.randrange(10**7)).zfill(7),
                "first_name": self.rng.choice(FIRST_NAMES),
                "last_name": self.rng.choice(LAST_NAMES),
                "joined": when,
            }
        )
        return len(self.citizens) - 1

    def _property(self, district: int, when: dt.datetime) -> int:
        known = self.properties_of[district]
        if known and self.rng.random() > NEW_PROPERTY:
            index = self.rng.choice(known)
            self.properties[index]["updated_at"] = when
            return index
        widths = settings.RENOVATION_CODE_PART_WIDTHS
        rng = self.rng
        while True:
            parts = [district, rng.randint(1, 12), rng.randint(1, 420), rng.randint(1, 260)]
            parts += [rng.choice((0, 0, 1)), 0, rng.choice((0, 0, 0, rng.randint(1, 12)))]
            parts = (parts + [0] * len(widths))[: len(widths)]
            parts = [min(part, 10**width - 1) for part, width in zip(parts, widths, strict=True)]
            code = "-".join(str(part) for part in parts)
            if code not in self.codes:
                self.codes.add(code)
                break
        status = _pick(
            rng, (("completed", 55), ("old", 15), ("under_construction", 15), ("land", 15))
        )
        land_use = _pick(
            rng,
            (("residential", 70), ("commercial", 12), ("mixed", 8), ("office", 4), ("other", 6)),
        )
        self.properties.append(
            {
                "renovation_code": code,
                "district": district,
                "plate_main": rng.randint(1, 9999),
                "plate_sub": rng.choice((None, rng.randint(1, 9999))),
                "registration_section": rng.randint(1, 12),
                "address": (
                    f"ارومیه، {rng.choice(STREETS)}، کوچه {rng.randint(1, 60)}، "
                    f"پلاک {rng.randint(1, 300)}"
                ),
                "area_m2": Decimal(rng.randint(4000, 60000)) / 100,
                "land_use": land_use,
                "building_status": status,
                "created_at": when,
                "updated_at": when,
            }
        )
        known.append(len(self.properties) - 1)
        return len(self.properties) - 1

    def _tracking_code(self) -> str:
        while True:
            body = "".join(self.rng.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
            code = tracking_code_from(body)  # with the check character every code ends with
            if code not in self.tracking_codes:
                self.tracking_codes.add(code)
                return code

    # --- when inquiries come in

    def _day_counts(self, number: int) -> dict[dt.date, int]:
        """The district's inquiries per day, summing exactly to the published figure."""
        since, target = ONLINE_SINCE[number], published.INQUIRIES_BY_DISTRICT[number]
        days = [since + dt.timedelta(days=n) for n in range((END - since).days + 1)]
        weights = []
        for day in days:
            age = (day - since).days
            weight = max(0.04, 1 - math.exp(-age / 20))  # the first weeks: word gets round
            weight *= 1 + 0.3 * age / 365  # and slowly more with use
            if not self.clock.working(day):
                weight *= 0.15  # online only, and fewer
            elif day.weekday() == 3:
                weight *= 0.55  # Thursday: many offices close at noon or all day
            j = jalali.to_jalali(day)
            if j.month == 1 and j.day <= 13:
                weight *= 0.4  # the Nowruz fortnight
            weights.append(weight * self.rng.uniform(0.8, 1.2))
        total = sum(weights)
        quotas = [target * w / total for w in weights]
        counts = [int(q) for q in quotas]
        by_fraction = sorted(range(len(days)), key=lambda i: (counts[i] - quotas[i], i))
        for i in by_fraction[: target - sum(counts)]:
            counts[i] += 1
        return dict(zip(days, counts, strict=True))

    def _plan_inquiries(self) -> list[Planned]:
        per_day = {number: self._day_counts(number) for number in ONLINE_SINCE}
        planned: list[Planned] = []
        day = min(ONLINE_SINCE.values())
        while day <= END:
            for number in sorted(ONLINE_SINCE):
                for _ in range(per_day[number].get(day, 0)):
                    planned.append(self._inquiry(number, day))
            day += dt.timedelta(days=1)
        planned.sort(key=lambda p: (p.submitted, p.district))
        for p in planned:
            p.tracking_code = self._tracking_code()
            p.submission_key = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        return planned

    def _inquiry(self, number: int, day: dt.date) -> Planned:
        rng, clock = self.rng, self.clock
        kind = _pick(rng, KINDS)
        channel = _pick(rng, CHANNELS[kind]) if clock.working(day) else Channel.WEB
        office = None
        if channel in OFFICE_KIND_OF:
            office = self._office(OFFICE_KIND_OF[channel], number, day)
            if office is None:
                channel = Channel.WEB
        if channel == Channel.WEB:
            submitted = clock.web_moment(rng, day, None)
        elif channel == Channel.KIOSK:
            submitted = clock.office_moment(rng, day, None)
        else:
            submitted = clock.office_moment(rng, day, None, opens=480, closes=1140)
        owner = None
        if rng.random() < 0.15:
            owner = (self._new_national_id(), self._name())
        p = Planned(
            district=number,
            kind=kind,
            channel=channel,
            office=office,
            citizen=self._citizen(submitted),
            owner=owner,
            prop=self._property(number, submitted),
            submitted=submitted,
            reviewer=rng.randrange(len(self.staff[number][DistrictRole.REVIEWER])),
        )
        p.steps = self._steps(p)
        return p

    def _office(self, kind: str, number: int, day: dt.date) -> CounterOffice | None:
        key = (kind, number, day)
        if key not in self._candidates:
            trained = [o for o in self.offices[kind] if self.trained_on[o.pk] < day]
            near = [o for o in trained if o.district.number == number]
            self._candidates[key] = (trained, near)
        trained, near = self._candidates[key]
        if not trained:
            return None
        pool = near if near and self.rng.random() < 0.75 else trained
        # Some offices are busier than others, the same ones every time.
        return self.rng.choices(pool, weights=[1 + (o.number * 7919) % 13 for o in pool])[0]

    # --- what happens to an inquiry

    def _applicant_moment(self, p: Planned, day: dt.date, after: dt.datetime) -> dt.datetime:
        if p.channel == Channel.WEB:
            return self.clock.web_moment(self.rng, day, after)
        return self.clock.office_moment(self.rng, day, after)

    def _answer_days(self, p: Planned, allowed: int, day: dt.date) -> int:
        """Working days from ``day`` to the answer, for ``allowed`` days left."""
        late = LATE * (2.5 if (day - ONLINE_SINCE[p.district]).days < 30 else 1)
        if self.rng.random() < late:
            return max(allowed, 0) + 1 + int(self.rng.expovariate(1 / 2.5))
        allowed = max(allowed, 1)
        weights = [1.5] + [allowed + 2 - k for k in range(1, allowed + 1)]
        return self.rng.choices(range(allowed + 1), weights=weights)[0]

    def _answer_steps(self, p: Planned, review: dt.datetime, day: dt.date, wd: int) -> list[Step]:
        clock, rng = self.clock, self.rng
        answer_day = clock.add(day, wd)
        prepared = clock.office_moment(rng, max(answer_day, clock.local_day(review)), review)
        signed = clock.office_moment(rng, clock.local_day(prepared), prepared)
        p.decision = _pick(rng, DECISIONS)
        return [
            Step(prepared, Action.ANSWER_PREPARED, S.IN_REVIEW, S.IN_REVIEW, "reviewer"),
            Step(signed, Action.ANSWER, S.IN_REVIEW, S.ANSWERED, "signer", {"answered": signed}),
        ]

    def _steps(self, p: Planned) -> list[Step]:
        clock, rng = self.clock, self.rng
        sub = p.submitted
        d0 = clock.local_day(sub)
        days = self.service_days[(p.district, p.kind)]
        due = clock.add(d0, days)
        steps = [Step(sub, Action.SUBMIT, "", S.SUBMITTED, "filer", {"due_date": due})]
        if rng.random() < WITHDRAWN_EARLY:
            later = sub + dt.timedelta(hours=rng.uniform(1, 60))
            when = self._applicant_moment(p, clock.local_day(later), later)
            steps.append(Step(when, Action.WITHDRAW, S.SUBMITTED, S.WITHDRAWN, "filer"))
            return steps
        review_day = d0 if clock.minutes(sub) < 720 else d0 + dt.timedelta(days=1)
        review = clock.office_moment(rng, review_day, sub)
        steps.append(Step(review, Action.START_REVIEW, S.SUBMITTED, S.IN_REVIEW, "reviewer"))
        if rng.random() >= SENT_BACK.get(p.channel, SENT_BACK_DEFAULT):
            return steps + self._answer_steps(p, review, d0, self._answer_days(p, days, d0))
        # Sent back: the clock pauses with the working days that were left.
        asked_day = clock.add(clock.local_day(review), rng.choice((0, 0, 1, 1, 2)))
        asked = clock.office_moment(rng, asked_day, review)
        left = clock.between(clock.local_day(asked), due)
        reasons = tuple(sorted(rng.sample(range(len(self.reasons)), rng.choice((1, 1, 2)))))
        steps.append(
            Step(
                asked,
                Action.REQUEST_INFO,
                S.IN_REVIEW,
                S.NEEDS_INFO,
                "reviewer",
                {"due_date": None, "paused": left, "sent_back": True},
                reasons=reasons,
            )
        )
        back_day = clock.local_day(asked) + dt.timedelta(days=rng.randint(1, 10))
        back = self._applicant_moment(p, back_day, asked)
        outcome = rng.random()
        if outcome < 0.03:
            return steps  # never answered: still waiting on the applicant
        if outcome < 0.15:
            steps.append(Step(back, Action.WITHDRAW, S.NEEDS_INFO, S.WITHDRAWN, "filer"))
            return steps
        back_on = clock.local_day(back)
        steps.append(
            Step(
                back,
                Action.RESUBMIT,
                S.NEEDS_INFO,
                S.RESUBMITTED,
                "filer",
                {"due_date": clock.add(back_on, left), "paused": None},
            )
        )
        again = clock.office_moment(rng, back_on, back)
        steps.append(Step(again, Action.START_REVIEW, S.RESUBMITTED, S.IN_REVIEW, "reviewer"))
        return steps + self._answer_steps(p, again, back_on, self._answer_days(p, left, back_on))

    # --- writing

    def _write_inquiries(self, planned: list[Planned]) -> None:
        cut = self.clock.at(END + dt.timedelta(days=1), 0)
        for p in planned:
            p.steps = [step for step in p.steps if step.at < cut]
        citizen_ids = self._write_citizens()
        property_ids = self._write_properties()
        staff = self.staff
        inquiries, finals = [], []
        for p in planned:
            citizen = self.citizens[p.citizen]
            prop = self.properties[p.prop]
            state = {"due_date": None, "paused": None, "sent_back": False, "answered": None}
            for step in p.steps:
                state.update(step.changes)
            last = p.steps[-1]
            status = last.to_status
            answered = state["answered"]
            filer = self._filer(p, citizen_ids)
            reviewer = staff[p.district][DistrictRole.REVIEWER][p.reviewer]
            held = any(step.action == Action.START_REVIEW for step in p.steps)
            finals.append((filer, reviewer))
            inquiries.append(
                Inquiry(
                    tracking_code=p.tracking_code,
                    kind=p.kind,
                    status=status,
                    channel=p.channel,
                    district=self.districts[p.district],
                    property_id=property_ids[p.prop],
                    property_declared={
                        "renovation_code": prop["renovation_code"],
                        "plate_main": prop["plate_main"],
                        "plate_sub": prop["plate_sub"],
                        "registration_section": prop["registration_section"],
                        "address": prop["address"],
                        "area_m2": str(prop["area_m2"]),
                        "land_use": prop["land_use"],
                        "building_status": prop["building_status"],
                    },
                    applicant_national_id=citizen["national_id"],
                    applicant_first_name=citizen["first_name"],
                    applicant_last_name=citizen["last_name"],
                    applicant_mobile=citizen["mobile"],
                    applicant_relation="attorney" if p.owner else "owner",
                    owner_national_id=p.owner[0] if p.owner else "",
                    owner_name=p.owner[1] if p.owner else "",
                    office=p.office,
                    filed_by_id=filer,
                    submission_key=p.submission_key,
                    submitted_at=p.submitted,
                    updated_at=last.at,
                    assigned_to_id=reviewer if held else None,
                    due_date=state["due_date"],
                    paused_days_left=state["paused"],
                    answered_at=answered if status == S.ANSWERED else None,
                    decision=p.decision if status == S.ANSWERED else "",
                    sent_back=state["sent_back"],
                    version=len(p.steps),
                )
            )
        _insert(Inquiry, inquiries)
        ids = dict(Inquiry.objects.values_list("tracking_code", "pk"))
        for inquiry in inquiries:
            inquiry.pk = ids[inquiry.tracking_code]
        self.rows["inquiries"] = len(inquiries)
        self._write_details(planned, inquiries)
        self._write_events(planned, inquiries, finals)
        self._write_answers(planned, inquiries, finals)

    def _filer(self, p: Planned, citizen_ids: list[int]) -> int:
        if p.channel == Channel.KIOSK:
            return self.staff[p.district][DistrictRole.KIOSK][0]
        if p.office is not None:
            return self.operators[p.office.pk]
        return citizen_ids[p.citizen]

    def _write_citizens(self) -> list[int]:
        """The applicants' accounts, as filing sets them up; one already there is theirs."""
        User = get_user_model()
        wanted = [c["national_id"] for c in self.citizens]
        ids = {}
        for first in range(0, len(wanted), 900):
            chunk = wanted[first : first + 900]
            ids.update(User.objects.filter(national_id__in=chunk).values_list("national_id", "pk"))
        users = [
            User(
                username=c["national_id"],
                national_id=c["national_id"],
                mobile=c["mobile"],
                first_name=c["first_name"],
                last_name=c["last_name"],
                password=CITIZEN_PASSWORD,
                date_joined=c["joined"],
            )
            for c in self.citizens
            if c["national_id"] not in ids
        ]
        _insert(User, users)
        for first in range(0, len(wanted), 900):
            ids.update(
                User.objects.filter(national_id__in=wanted[first : first + 900]).values_list(
                    "national_id", "pk"
                )
            )
        self.rows["citizens"] = len(users)
        return [ids[c["national_id"]] for c in self.citizens]

    def _write_properties(self) -> list[int]:
        rows = [
            Property(
                **{k: v for k, v in prop.items() if k != "district"},
                district=self.districts[prop["district"]],
            )
            for prop in self.properties
        ]
        _insert(Property, rows)
        ids = dict(Property.objects.values_list("renovation_code", "pk"))
        self.rows["properties"] = len(rows)
        return [ids[row.renovation_code] for row in rows]

    def _write_details(self, planned: list[Planned], inquiries: list[Inquiry]) -> None:
        rng = self.rng
        transfers, banks, agencies = [], [], []
        # A notary office numbers its letters itself, one after another (not drawn from the
        # generator, so that the other rows stay what they were before notaries' letters).
        notary_letters: Counter[int] = Counter()
        for p, inquiry in zip(planned, inquiries, strict=True):
            letter_date = self.clock.local_day(p.submitted) - dt.timedelta(days=rng.randint(0, 6))
            if p.kind == InquiryKind.TRANSFER:
                seller = p.owner or (
                    inquiry.applicant_national_id,
                    f"{inquiry.applicant_first_name} {inquiry.applicant_last_name}",
                )
                by_notary = p.channel == Channel.NOTARY_OFFICE
                if by_notary:
                    notary_letters[p.office.number] += 1
                transfers.append(
                    TransferDetails(
                        inquiry=inquiry,
                        transaction_type=_pick(
                            rng,
                            (
                                ("sale", 80),
                                ("reconciliation", 8),
                                ("gift", 5),
                                ("inheritance", 5),
                                ("exchange", 2),
                            ),
                        ),
                        seller_national_id=seller[0],
                        seller_name=seller[1],
                        buyer_national_id=self._new_national_id(),
                        buyer_name=self._name(),
                        notary_office_number=p.office.number if by_notary else None,
                        letter_number=(
                            f"{p.office.number}/{notary_letters[p.office.number]:05d}"
                            if by_notary
                            else ""
                        ),
                        letter_date=letter_date if by_notary else None,
                    )
                )
            elif p.kind == InquiryKind.BANK:
                banks.append(
                    BankDetails(
                        inquiry=inquiry,
                        bank=rng.choice(self.banks),
                        branch_name=f"شعبه {rng.choice(STREETS)} ارومیه",
                        branch_code=str(rng.randint(1000, 9999)),
                        facility_type=_pick(
                            rng,
                            (
                                ("mortgage", 45),
                                ("construction", 25),
                                ("purchase", 15),
                                ("repair", 10),
                                ("other", 5),
                            ),
                        ),
                        letter_number=f"{rng.randint(100, 999)}/{rng.randint(1000, 99999)}",
                        letter_date=letter_date,
                    )
                )
            else:
                agency_type, agency_name, subject = rng.choice(AGENCIES)
                agencies.append(
                    AgencyDetails(
                        inquiry=inquiry,
                        agency_type=agency_type,
                        agency_name=agency_name,
                        letter_number=f"{rng.randint(1, 99)}/{rng.randint(1000, 99999)}",
                        letter_date=letter_date,
                        subject=subject,
                    )
                )
        for model, rows in (
            (TransferDetails, transfers),
            (BankDetails, banks),
            (AgencyDetails, agencies),
        ):
            _insert(model, rows)
        self.rows["details"] = len(transfers) + len(banks) + len(agencies)

    def _write_events(self, planned, inquiries, finals) -> None:
        events, requests = [], []
        for p, inquiry, (filer, reviewer) in zip(planned, inquiries, finals, strict=True):
            signer = self.staff[p.district][DistrictRole.MANAGER][0]
            actor = {"filer": filer, "reviewer": reviewer, "signer": signer}
            for step in p.steps:
                events.append(
                    {
                        "inquiry_id": inquiry.pk,
                        "action": step.action,
                        "from_status": step.from_status,
                        "to_status": step.to_status,
                        "actor_id": actor[step.by],
                        "channel": p.channel,
                        "note": "\n".join(f"• {self.reasons[i].title}" for i in step.reasons),
                        "created_at": step.at,
                    }
                )
                if step.action == Action.REQUEST_INFO:
                    requests.append((inquiry, step))
        _insert(InquiryEvent, events)
        self.rows["events"] = len(events)
        asked = dict(
            InquiryEvent.objects.filter(action=Action.REQUEST_INFO).values_list("inquiry_id", "pk")
        )
        rows = [
            InfoRequest(inquiry=inquiry, event_id=asked[inquiry.pk], note="", created_at=step.at)
            for inquiry, step in requests
        ]
        with _own_timestamps(_field(InfoRequest, "created_at")):
            InfoRequest.objects.bulk_create(rows, batch_size=1000)
        Through = InfoRequest.reasons.through
        Through.objects.bulk_create(
            [
                Through(inforequest_id=row.pk, deficiencyreason_id=self.reasons[i].pk)
                for row, (_inquiry, step) in zip(rows, requests, strict=True)
                for i in step.reasons
            ],
            batch_size=2000,
        )
        self.rows["requests for information"] = len(rows)

    def _write_answers(self, planned, inquiries, finals) -> None:
        rng = self.rng
        answered = [
            (p, inquiry, reviewer)
            for p, inquiry, (_filer, reviewer) in zip(planned, inquiries, finals, strict=True)
            if inquiry.status == S.ANSWERED
        ]
        answered.sort(key=lambda item: (item[1].answered_at, item[1].pk))
        letters: Counter[tuple[int, int]] = Counter()
        codes: set[str] = set(
            Answer.objects.exclude(verification_code=None).values_list(
                "verification_code", flat=True
            )
        )
        rows = []
        for p, inquiry, reviewer in answered:
            prepared = next(s.at for s in reversed(p.steps) if s.action == Action.ANSWER_PREPARED)
            signed_on = self.clock.local_day(inquiry.answered_at)
            year = jalali.to_jalali(signed_on).year
            letters[(p.district, year)] += 1
            while True:
                code = "".join(rng.choice(ALPHABET) for _ in range(10))
                if code not in codes:
                    codes.add(code)
                    break
            prop = self.properties[p.prop]
            status = prop["building_status"]
            certificate = {
                "completed": CertificateType.COMPLETION,
                "under_construction": CertificateType.NO_VIOLATION,
            }.get(status, CertificateType.NONE)
            widening = _pick(
                rng,
                (
                    (RoadWidening.NOT_AFFECTED, 85),
                    (RoadWidening.PARTLY, 12),
                    (RoadWidening.FULLY, 3),
                ),
            )
            text = {
                "conditional": rng.choice(CONDITIONS),
                "violations": rng.choice(VIOLATIONS),
            }.get(p.decision, "")
            rows.append(
                Answer(
                    inquiry=inquiry,
                    status=AnswerStatus.SIGNED,
                    decision=p.decision,
                    reason=rng.choice(CANNOT_ANSWER) if p.decision == "cannot_answer" else "",
                    building_status=status,
                    certificate_type=certificate,
                    certificate_number=(
                        f"{p.district}/{rng.randint(1390, year)}/{rng.randint(100, 9999)}"
                        if certificate != CertificateType.NONE
                        else ""
                    ),
                    land_use_plan=prop["land_use"],
                    road_widening=widening,
                    road_widening_note=(
                        f"عقب‌نشینی {rng.randint(1, 4)} متر در بر گذر"
                        if widening == RoadWidening.PARTLY
                        else ""
                    ),
                    conditions=text,
                    prepared_by_id=reviewer,
                    prepared_at=prepared,
                    signed_by_id=self.staff[p.district][DistrictRole.MANAGER][0],
                    signer_role=SignerRole.MANAGER,
                    signed_at=inquiry.answered_at,
                    valid_until=jalali.add_months(signed_on, settings.ANSWER_VALID_MONTHS),
                    letter_number=f"{p.district}/{year}/{letters[(p.district, year)]:05d}",
                    verification_code=code,
                )
            )
        _insert(Answer, rows)
        self.rows["answers"] = len(rows)
        # The next letter a district signs continues its year's numbering.
        for (number, year), last in sorted(letters.items()):
            counter, _created = LetterCounter.objects.get_or_create(
                district=self.districts[number], year=year
            )
            if counter.last < last:
                counter.last = last
                counter.save(update_fields=["last"])

    def _write_kiosk_logs(self, planned: list[Planned]) -> None:
        rng, clock = self.rng, self.clock
        logs = []
        filed_days = defaultdict(list)
        for p in planned:
            if p.channel == Channel.KIOSK:
                filed_days[p.district].append(p)
        for number, since in sorted(ONLINE_SINCE.items()):
            staff = self.staff[number][DistrictRole.KIOSK][0]
            kiosk = self.kiosks[number]
            for p in filed_days[number]:
                logs.append(
                    KioskHelpLog(
                        district=self.districts[number],
                        kiosk=kiosk,
                        staff_id=staff,
                        topic=KioskTopic.FILED_FOR_CITIZEN,
                        resolution=f"استعلام با کد رهگیری {p.tracking_code} ثبت شد",
                        minutes=rng.randint(8, 25),
                        created_at=p.submitted,
                    )
                )
            day = since
            while day <= END:
                if clock.working(day):
                    ramp = max(0.3, 1 - math.exp(-(day - since).days / 20))
                    for _ in range(int(rng.uniform(1, 7) * ramp)):
                        topic, _weight, resolution = rng.choices(
                            KIOSK_TOPICS, weights=[t[1] for t in KIOSK_TOPICS]
                        )[0]
                        logs.append(
                            KioskHelpLog(
                                district=self.districts[number],
                                kiosk=kiosk,
                                staff_id=staff,
                                topic=topic,
                                resolution=resolution,
                                minutes=rng.randint(2, 20),
                                created_at=clock.office_moment(rng, day, None),
                            )
                        )
                day += dt.timedelta(days=1)
        _insert(KioskHelpLog, logs)
        self.rows["kiosk records"] = len(logs)

    def _write_trainings(self) -> None:
        ict = self.staff["ict"]
        sessions = [
            TrainingSession(
                date=day,
                trainer="کارشناسان سازمان فاوا",
                topic="آموزش کار با سامانه استعلامات شهرسازی",
                created_by=ict,
                created_at=self.clock.at(day, 840),
            )
            for day, _offices in self.sessions
        ]
        with _own_timestamps(_field(TrainingSession, "created_at")):
            TrainingSession.objects.bulk_create(sessions)
        TrainingAttendance.objects.bulk_create(
            [
                TrainingAttendance(session=session, office=office, people=self.rng.randint(1, 3))
                for session, (_day, offices) in zip(sessions, self.sessions, strict=True)
                for office in offices
            ]
        )
        self.rows["training sessions"] = len(sessions)

    def _write_visits(self) -> None:
        """Every office visited once or more after its training; findings on most visits, the
        older ones resolved, the latest ones open or being fixed."""
        rng, clock, ict = self.rng, self.clock, self.staff["ict"]
        visits, findings = [], []
        for offices in self.offices.values():
            for office in offices:
                trained = self.trained_on[office.pk]
                span = (END - trained).days
                for _ in range(rng.randint(1, 3)):
                    day = trained + dt.timedelta(days=rng.randint(20, max(21, span)))
                    while not clock.working(day):
                        day -= dt.timedelta(days=1)
                    if day > END or day <= trained:
                        continue
                    visit = OfficeVisit(
                        office=office,
                        date=day,
                        inspector=ict,
                        notes="بازدید دوره‌ای برای شناسایی مشکلات دفتر در کار با سامانه",
                        created_at=clock.at(day, 900),
                    )
                    visits.append(visit)
                    for index in rng.sample(range(len(FINDINGS)), rng.choice((0, 1, 1, 2))):
                        age = (END - day).days
                        state = (
                            FindingState.RESOLVED
                            if age > 60
                            else _pick(rng, ((FindingState.OPEN, 1), (FindingState.FIXING, 1)))
                        )
                        resolved = day + dt.timedelta(days=rng.randint(3, 30))
                        findings.append(
                            (
                                visit,
                                VisitFinding(
                                    category=self.categories[min(index, len(self.categories) - 1)],
                                    description=FINDINGS[index],
                                    state=state,
                                    fixing_since=day if state != FindingState.OPEN else None,
                                    resolved_on=resolved
                                    if state == FindingState.RESOLVED
                                    else None,
                                    resolution=(
                                        "در بازدید بعدی برطرف شده بود"
                                        if state == FindingState.RESOLVED
                                        else ""
                                    ),
                                    updated_by=ict,
                                    updated_at=clock.at(
                                        resolved if state == FindingState.RESOLVED else day, 900
                                    ),
                                ),
                            )
                        )
        with _own_timestamps(_field(OfficeVisit, "created_at")):
            OfficeVisit.objects.bulk_create(visits, batch_size=1000)
        for visit, finding in findings:
            finding.visit = visit
        with _own_timestamps(_field(VisitFinding, "updated_at")):
            VisitFinding.objects.bulk_create([f for _v, f in findings], batch_size=1000)
        # Their follow-up, as the moves would have recorded it.
        moves = []
        for _visit, finding in findings:
            if finding.state == FindingState.OPEN:
                continue
            moves.append(
                FindingEvent(
                    finding=finding,
                    from_state=FindingState.OPEN,
                    to_state=FindingState.FIXING,
                    actor=ict,
                    created_at=clock.at(finding.fixing_since, 900),
                )
            )
            if finding.state == FindingState.RESOLVED:
                moves.append(
                    FindingEvent(
                        finding=finding,
                        from_state=FindingState.FIXING,
                        to_state=FindingState.RESOLVED,
                        note=finding.resolution,
                        actor=ict,
                        created_at=clock.at(finding.resolved_on, 900),
                    )
                )
        with _own_timestamps(_field(FindingEvent, "created_at")):
            FindingEvent.objects.bulk_create(moves, batch_size=1000)
        self.rows["office visits"] = len(visits)
        self.rows["findings"] = len(findings)
