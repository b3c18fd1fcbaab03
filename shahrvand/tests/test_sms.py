import logging
import re
import time
import traceback
from pathlib import Path
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from kombu.exceptions import OperationalError

from shahrvand import sms
from shahrvand.celery import app as celery_app
from shahrvand.sms.backends import (
    BaseSmsBackend,
    ConsoleAndFileBackend,
    ConsoleBackend,
    FileBackend,
    InMemoryBackend,
    KavenegarBackend,
    SmsMessage,
    SmsPermanentError,
    SmsTransientError,
    mask_mobile,
)
from shahrvand.sms.tasks import send_outbox_sms, send_sms
from shahrvand.tests.fake_sms_provider import FakeSmsProvider, closed_port

MOBILE = "09121234567"
# Persian with a zero-width non-joiner, Persian digits and an em dash: all must survive as UTF-8.
TEXT = "شهروند گرامی، کد تأیید شما ۴۸۲۹۱۳ است. می‌توانید — تا ۲ دقیقه — از آن استفاده کنید."
API_KEY = "7A3B5C2D-SECRET-KEY-4E6F"


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def sms_dir(settings, tmp_path) -> Path:
    settings.SMS_FILE_PATH = tmp_path / "sms" / "not-yet-created"
    return settings.SMS_FILE_PATH


@pytest.fixture
def eager_retries(monkeypatch):
    """Run a task's retries in place, as a worker would run them later. The test settings make eager
    errors propagate, and then apply() raises Retry instead; the retry's own apply() ignores
    ``throw=False``, so propagation is switched off in Celery's configuration."""
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)


class FlakyBackend(BaseSmsBackend):
    """Raises the given errors in turn, then delivers to the outbox."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.attempts = 0

    def send(self, message: SmsMessage) -> None:
        self.attempts += 1
        if self.errors:
            raise self.errors.pop(0)
        sms.outbox.append(message)


# --- Backends -------------------------------------------------------------------------------------


def test_console_backend_prints_the_text_and_only_the_end_of_the_number(capsys):
    ConsoleBackend().send(SmsMessage(to=MOBILE, text=TEXT))
    out = capsys.readouterr().out
    assert MOBILE not in out  # the console is the server's log under `make run`
    assert f"To: …{MOBILE[-4:]}" in out
    assert TEXT in out


def test_file_backend_writes_one_file_per_message(sms_dir):
    FileBackend().send(SmsMessage(to=MOBILE, text=TEXT))
    FileBackend().send(SmsMessage(to=MOBILE, text=TEXT))  # same message twice: still two files

    files = sorted(sms_dir.iterdir())
    assert len(files) == 2
    for path in files:
        assert path.read_bytes().decode("utf-8") == f"To: {MOBILE}\n\n{TEXT}\n"


def test_file_backend_names_files_by_time_and_random_suffix_not_by_content(sms_dir):
    FileBackend().send(SmsMessage(to=MOBILE, text="1234"))
    (path,) = sms_dir.iterdir()
    assert re.fullmatch(r"\d{8}-\d{6}-\d{6}-[0-9a-f]{8}\.txt", path.name)
    assert MOBILE not in path.name
    assert "1234" not in path.name


def test_file_backend_leaves_no_temporary_file_behind(sms_dir):
    FileBackend().send(SmsMessage(to=MOBILE, text=TEXT))
    assert [p.suffix for p in sms_dir.iterdir()] == [".txt"]


def test_console_and_file_backend_does_both(sms_dir, capsys):
    ConsoleAndFileBackend().send(SmsMessage(to=MOBILE, text=TEXT))
    assert TEXT in capsys.readouterr().out
    (path,) = sms_dir.iterdir()
    assert TEXT in path.read_text(encoding="utf-8")


def test_in_memory_backend_appends_to_the_outbox():
    InMemoryBackend().send(SmsMessage(to=MOBILE, text=TEXT))
    assert sms.outbox == [SmsMessage(to=MOBILE, text=TEXT)]


def test_mask_mobile_keeps_only_the_last_four_digits():
    assert mask_mobile(MOBILE) == "*******4567"
    assert mask_mobile("123") == "***"


# --- get_backend and sms_send_now ----------------------------------------------------------------


def test_get_backend_builds_the_configured_backend(settings):
    settings.SMS_BACKEND = "shahrvand.sms.backends.ConsoleBackend"
    assert isinstance(sms.get_backend(), ConsoleBackend)


@pytest.mark.parametrize(
    "path",
    [
        "shahrvand.sms.nowhere.Backend",
        "shahrvand.sms.backends.NoSuchBackend",
        "ConsoleBackend",
        "shahrvand.sms.backends.SmsMessage",
    ],
)
def test_get_backend_with_a_bad_path_is_improperly_configured(settings, path):
    settings.SMS_BACKEND = path
    with pytest.raises(ImproperlyConfigured, match="SMS_BACKEND"):
        sms.get_backend()


def test_sms_send_now_sends_immediately_through_the_backend():
    sms.sms_send_now(to=MOBILE, text=TEXT)
    assert sms.outbox == [SmsMessage(to=MOBILE, text=TEXT)]


# --- sms_enqueue ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sms_enqueue_sends_only_after_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sms.sms_enqueue(to=MOBILE, text=TEXT)
        assert sms.outbox == []
    assert len(callbacks) == 1
    assert sms.outbox == [SmsMessage(to=MOBILE, text=TEXT)]


@pytest.mark.django_db(transaction=True)
def test_sms_enqueue_sends_once_a_real_transaction_commits():
    with transaction.atomic():
        sms.sms_enqueue(to=MOBILE, text=TEXT)
        assert sms.outbox == []
    assert sms.outbox == [SmsMessage(to=MOBILE, text=TEXT)]


@pytest.mark.django_db(transaction=True)
def test_sms_enqueue_sends_nothing_when_the_transaction_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        sms.sms_enqueue(to=MOBILE, text=TEXT)
        raise RuntimeError("the request failed after queueing the SMS")
    assert sms.outbox == []


@pytest.mark.django_db
def test_sms_enqueue_logs_and_swallows_a_broker_failure(django_capture_on_commit_callbacks, caplog):
    broker_down = OperationalError("Error 111 connecting to redis:6379. Connection refused.")
    with (
        mock.patch.object(send_outbox_sms, "apply_async", side_effect=broker_down),
        caplog.at_level(logging.ERROR, logger="shahrvand.sms"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sms.sms_enqueue(to=MOBILE, text=TEXT)
    assert sms.outbox == []
    assert "*******4567" in caplog.text
    assert MOBILE not in caplog.text


def test_send_sms_task_is_routed_to_the_notifications_queue():
    route = celery_app.amqp.router.route({}, send_sms.name)
    assert route["queue"].name == "notifications"


# --- The Celery task ------------------------------------------------------------------------------


def test_send_sms_asks_for_a_retry_with_a_countdown_on_a_transient_error():
    backend = FlakyBackend(SmsTransientError("HTTP 502"))
    with (
        mock.patch("shahrvand.sms.get_backend", return_value=backend),
        pytest.raises(Retry) as caught,
    ):
        send_sms.apply(args=[MOBILE, TEXT])  # eager errors propagate in the test settings
    assert isinstance(caught.value.exc, SmsTransientError)
    assert 0 <= caught.value.when <= 600
    assert backend.attempts == 1


def test_send_sms_retries_a_transient_error_then_succeeds(eager_retries):
    backend = FlakyBackend(SmsTransientError("HTTP 502"))
    with mock.patch("shahrvand.sms.get_backend", return_value=backend):
        result = send_sms.apply(args=[MOBILE, TEXT])
    assert result.successful()
    assert backend.attempts == 2
    assert sms.outbox == [SmsMessage(to=MOBILE, text=TEXT)]


def test_send_sms_gives_up_after_max_retries_of_transient_errors(eager_retries):
    backend = FlakyBackend(*[SmsTransientError("timed out")] * 20)
    with mock.patch("shahrvand.sms.get_backend", return_value=backend):
        result = send_sms.apply(args=[MOBILE, TEXT])
    assert result.failed()
    assert isinstance(result.result, SmsTransientError)
    assert backend.attempts == send_sms.max_retries + 1 == 9


def test_send_sms_logs_a_permanent_error_with_a_masked_number_and_does_not_retry(caplog):
    backend = FlakyBackend(SmsPermanentError("411 invalid receptor"))
    with (
        mock.patch("shahrvand.sms.get_backend", return_value=backend),
        caplog.at_level(logging.ERROR, logger="shahrvand.sms"),
    ):
        result = send_sms.apply(args=[MOBILE, TEXT])
    assert result.successful()
    assert backend.attempts == 1
    assert sms.outbox == []
    assert "*******4567" in caplog.text
    assert "411 invalid receptor" in caplog.text
    assert MOBILE not in caplog.text
    assert TEXT not in caplog.text


# --- KavenegarBackend against a local fake provider --------------------------------------------


@pytest.fixture
def provider(settings, monkeypatch):
    # A proxy from the environment must not capture loopback traffic.
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeSmsProvider(slow_seconds=2) as fake:
        settings.SMS_BACKEND = "shahrvand.sms.backends.KavenegarBackend"
        settings.SMS_API_URL = fake.base_url + "/"
        settings.SMS_API_KEY = API_KEY
        settings.SMS_SENDER = "10008663"
        settings.SMS_TIMEOUT_SECONDS = 5
        yield fake


def _send_or_error(text: str = TEXT) -> Exception:
    with pytest.raises(Exception) as caught:  # the tests check the exact class
        KavenegarBackend().send(SmsMessage(to=MOBILE, text=text))
    return caught.value


def test_kavenegar_posts_receptor_message_and_sender_with_the_key_in_the_path(provider):
    KavenegarBackend().send(SmsMessage(to=MOBILE, text=TEXT))

    (received,) = provider.requests
    assert received.method == "POST"
    assert received.path == f"/v1/{API_KEY}/sms/send.json"
    assert received.content_type.startswith("application/x-www-form-urlencoded")
    assert received.form == {"receptor": MOBILE, "message": TEXT, "sender": "10008663"}


def test_kavenegar_omits_the_sender_when_none_is_configured(provider, settings):
    settings.SMS_SENDER = ""
    sms.sms_send_now(to=MOBILE, text=TEXT)
    assert provider.requests[0].form == {"receptor": MOBILE, "message": TEXT}


@pytest.mark.parametrize("mode", ["server-error", "busy"])
def test_kavenegar_server_errors_and_busy_answers_are_transient(provider, mode):
    provider.mode = mode
    assert type(_send_or_error()) is SmsTransientError


@pytest.mark.parametrize("mode", ["invalid-receptor", "invalid-receptor-in-body"])
def test_kavenegar_invalid_receptor_is_permanent(provider, mode):
    provider.mode = mode
    error = _send_or_error()
    assert type(error) is SmsPermanentError
    assert "411" in str(error)


def test_kavenegar_bad_key_is_permanent_and_the_key_is_masked(provider):
    provider.mode = "bad-key"  # the fake echoes the request path, key included, in its message
    error = _send_or_error()
    assert type(error) is SmsPermanentError
    assert "403" in str(error)
    assert API_KEY not in str(error)


def test_kavenegar_answer_without_a_status_is_permanent_so_it_is_not_sent_twice(provider):
    provider.mode = "not-json"
    assert type(_send_or_error()) is SmsPermanentError


def test_kavenegar_slow_answer_times_out_as_transient(provider, settings):
    settings.SMS_TIMEOUT_SECONDS = 1
    provider.mode = "slow"
    started = time.monotonic()
    error = _send_or_error()
    assert type(error) is SmsTransientError
    assert time.monotonic() - started < 1.9  # gave up at the timeout, not when the server answered


def test_kavenegar_refused_connection_is_transient(settings):
    settings.SMS_API_URL = f"http://127.0.0.1:{closed_port()}"
    settings.SMS_API_KEY = API_KEY
    assert type(_send_or_error()) is SmsTransientError


def test_kavenegar_without_url_or_key_is_permanent(settings):
    settings.SMS_API_URL = ""
    settings.SMS_API_KEY = ""
    assert type(_send_or_error()) is SmsPermanentError


@pytest.mark.parametrize(
    "mode", ["server-error", "busy", "invalid-receptor", "bad-key", "not-json", "slow", "refused"]
)
def test_kavenegar_errors_never_reveal_the_api_key(provider, settings, mode):
    settings.SMS_TIMEOUT_SECONDS = 1
    if mode == "refused":
        settings.SMS_API_URL = f"http://127.0.0.1:{closed_port()}"
    else:
        provider.mode = mode
    error = _send_or_error()
    assert isinstance(error, sms.backends.SmsError)
    shown = "".join(traceback.format_exception(error)) + repr(error)
    assert API_KEY not in shown
    assert error.__cause__ is None  # urllib's exceptions carry the URL; they are not chained


def test_kavenegar_malformed_url_error_does_not_reveal_the_key(settings):
    settings.SMS_API_URL = "api.kavenegar.com"  # no scheme
    settings.SMS_API_KEY = API_KEY
    error = _send_or_error()
    assert type(error) is SmsPermanentError
    assert API_KEY not in str(error)


def test_send_sms_task_retries_kavenegar_server_errors(provider, eager_retries):
    provider.mode = "server-error"
    result = send_sms.apply(args=[MOBILE, TEXT])
    assert result.failed()
    assert len(provider.requests) == send_sms.max_retries + 1


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://x/"])
def test_the_sms_provider_is_reached_only_over_http(url):
    from shahrvand.sms.backends import _post

    with pytest.raises(ValueError, match="http"):
        _post(url, b"", timeout=1)
