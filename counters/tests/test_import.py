import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from counters.imports import offices_import_csv
from counters.models import CounterOffice

pytestmark = pytest.mark.django_db
HEADER = "kind,number,name,licence,district,address,phone,manager\n"
GOOD = "counter,11012,دفتر ۱۱۰۱۲,L-1,1,ارومیه,0443,حسن\nnotary,12,دفتر ۱۲,L-2,۵,ارومیه,,\n"


def test_the_sample_file_imports(settings):
    data = (settings.BASE_DIR / "counters" / "sample-offices.csv").read_bytes()
    result = offices_import_csv(data)
    assert result.ok, result.errors
    assert result.created == 6
    assert CounterOffice.objects.filter(kind="notary").count() == 3


def test_a_good_file_creates_then_updates():
    assert offices_import_csv((HEADER + GOOD).encode()).created == 2
    again = offices_import_csv((HEADER + GOOD.replace("حسن", "حسین")).encode())
    assert (again.created, again.updated) == (0, 2)
    assert CounterOffice.objects.get(number=11012).manager_name == "حسین"
    assert CounterOffice.objects.get(number=12).district.number == 5  # Persian digit


def test_excel_bom_and_windows_1256_are_read():
    assert offices_import_csv(("\ufeff" + HEADER + GOOD).encode("utf-8")).created == 2
    CounterOffice.objects.all().delete()
    assert offices_import_csv(
        (HEADER + GOOD.replace("۵", "5")).encode("cp1256", errors="ignore")
    ).ok


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("shop,1,a,L,1,addr,,", "kind"),
        ("counter,abc,a,L,1,addr,,", "number"),
        ("counter,0,a,L,1,addr,,", "number"),
        ("counter,1,,L,1,addr,,", "name"),
        ("counter,1,a,,1,addr,,", "licence"),
        ("counter,1,a,L,9,addr,,", "district"),
        ("counter,1,a,L,1,,,", "address"),
        ("counter,11012,a,L,1,addr,,", "line 2"),  # the same office twice
    ],
)
def test_each_kind_of_bad_row_is_reported_by_line_and_nothing_is_imported(row, fragment):
    from django.utils import translation

    with translation.override("en"):
        result = offices_import_csv((HEADER + GOOD + row + "\n").encode())
        messages = " ".join(f"{line}: {message}" for line, message in result.errors)
    assert not result.ok
    assert [line for line, _message in result.errors] == [4]
    assert fragment in messages
    assert not CounterOffice.objects.exists()


def test_missing_columns():
    result = offices_import_csv(b"kind,number\ncounter,1\n")
    assert result.errors and result.errors[0][0] == 1


def test_the_command_imports_nothing_partial(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + GOOD + "shop,1,a,L,1,addr,,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_offices", str(bad))
    assert not CounterOffice.objects.exists()
    good = tmp_path / "good.csv"
    good.write_text(HEADER + GOOD, encoding="utf-8")
    call_command("import_offices", str(good), "--check")
    assert not CounterOffice.objects.exists()
    call_command("import_offices", str(good))
    assert CounterOffice.objects.count() == 2


def test_the_import_page(client_for, ict_admin, citizen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client_for(ict_admin).post(
        "/offices/import/",
        {"file": SimpleUploadedFile("o.csv", (HEADER + GOOD + "shop,1,a,L,1,addr,,\n").encode())},
    )
    assert page.status_code == 200
    assert 'data-testid="import-errors"' in page.content.decode()
    assert not CounterOffice.objects.exists()
    done = client_for(ict_admin).post(
        "/offices/import/", {"file": SimpleUploadedFile("o.csv", (HEADER + GOOD).encode())}
    )
    assert done.status_code == 302
    assert CounterOffice.objects.count() == 2
    assert client_for(citizen).get("/offices/import/").status_code == 403
