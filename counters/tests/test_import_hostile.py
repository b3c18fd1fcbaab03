"""The office CSV import with files an attacker, a broken export or a hurried clerk would send: every
one is answered with a Persian list of problems (or imported correctly), never a server error, and
nothing is ever half-imported."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counters import imports
from counters.imports import offices_import_csv
from counters.models import CounterOffice

pytestmark = pytest.mark.django_db

HEADER = "kind,number,name,licence,district,address,phone,manager\n"
GOOD = "counter,11012,دفتر ۱۱۰۱۲,L-1,1,ارومیه,0443,حسن\nnotary,12,دفتر ۱۲,L-2,۵,ارومیه,,\n"
UTF8_REFUSAL = "UTF-8"  # the refusal names the encoding to save in


def _problems(result) -> str:
    return " | ".join(f"{line}: {message}" for line, message in result.errors)


@pytest.fixture
def post_file(client_for, ict_admin):
    client = client_for(ict_admin)

    def post(data: bytes, name: str = "offices.csv"):
        return client.post("/offices/import/", {"file": SimpleUploadedFile(name, data)})

    return post


def _refused_page(response) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="import-errors"' in page
    assert "هیچ اطلاعاتی بارگذاری نشد" in page
    return page


# --- line breaks ------------------------------------------------------------------------------------


def test_a_file_with_cr_only_line_endings_is_imported(post_file):
    data = (HEADER + GOOD).replace("\n", "\r").encode()
    assert offices_import_csv(data, apply=False).ok
    response = post_file(data)
    assert response.status_code == 302
    assert CounterOffice.objects.count() == 2
    assert CounterOffice.objects.get(number=11012).manager_name == "حسن"


def test_a_stray_cr_inside_an_unquoted_field_is_read_as_a_space(post_file):
    data = (HEADER + GOOD.replace("ارومیه,0443", "ارومیه\rخیابان امام,0443")).encode()
    assert post_file(data).status_code == 302
    assert CounterOffice.objects.get(number=11012).address == "ارومیه خیابان امام"


def test_a_stray_cr_inside_a_quoted_field_is_read_as_a_space():
    data = (HEADER + GOOD.replace("ارومیه,0443", '"ارومیه\rخیابان امام",0443')).encode()
    result = offices_import_csv(data.replace(b"\n", b"\r\n"))
    assert result.ok, _problems(result)
    assert CounterOffice.objects.get(number=11012).address == "ارومیه خیابان امام"


def test_a_line_break_inside_a_quoted_field_stays_in_one_row():
    data = (HEADER + GOOD.replace("ارومیه,0443", '"ارومیه\nخیابان امام",0443')).encode()
    result = offices_import_csv(data)
    assert result.ok, _problems(result)
    assert CounterOffice.objects.get(number=11012).address == "ارومیه خیابان امام"


# --- size and number of rows ------------------------------------------------------------------------


def test_a_field_over_the_csv_readers_limit_is_a_row_problem_not_a_crash(post_file):
    data = (HEADER + GOOD + f"counter,7,{'ب' * 140_000},L,1,addr,,\n").encode()
    result = offices_import_csv(data)
    assert [line for line, _message in result.errors] == [4]
    page = _refused_page(post_file(data))
    assert "سطر ۴" in page
    assert not CounterOffice.objects.exists()


def test_a_field_longer_than_the_model_allows_names_the_column(post_file):
    data = (HEADER + GOOD + f"counter,7,{'ب' * 151},L,1,addr,,\n").encode()
    page = _refused_page(post_file(data))
    assert "سطر ۴" in page and "name" in page and "۱۵۰" in page
    assert not CounterOffice.objects.exists()


def test_a_file_over_the_size_bound_is_refused_by_the_form_before_it_is_read(post_file):
    data = (HEADER + GOOD).encode() + b" " * imports.MAX_BYTES
    response = post_file(data)
    assert response.status_code == 200
    assert "۲ مگابایت" in response.content.decode()
    assert not CounterOffice.objects.exists()
    assert not offices_import_csv(data).ok


def test_more_rows_than_the_bound_are_refused_and_nothing_is_imported(post_file):
    rows = "".join(
        f"counter,{n},دفتر {n},L-{n},1,ارومیه,,\n" for n in range(1, imports.MAX_ROWS + 2)
    )
    data = (HEADER + rows).encode()
    assert len(data) < imports.MAX_BYTES
    page = _refused_page(post_file(data))
    assert "۵۰۰۰" in page
    assert not CounterOffice.objects.exists()


def test_the_form_states_both_bounds(client_for, ict_admin):
    page = client_for(ict_admin).get("/offices/import/").content.decode()
    assert "۵۰۰۰" in page and "۲ مگابایت" in page and "CSV UTF-8" in page


def test_many_bad_rows_list_the_first_hundred_and_count_the_rest():
    rows = "".join(f"shop,{n},a,L,1,addr,,\n" for n in range(1, 151))
    result = offices_import_csv((HEADER + rows).encode())
    assert len(result.errors) == imports.MAX_LISTED_PROBLEMS + 1
    assert result.errors[-1][0] is None


# --- encodings --------------------------------------------------------------------------------------


def test_utf8_with_and_without_bom_is_read():
    assert offices_import_csv(("\ufeff" + HEADER + GOOD).encode()).created == 2
    assert offices_import_csv((HEADER + GOOD).encode()).updated == 2


def test_a_persian_windows_1256_file_is_read_as_persian():
    # Windows-1256 has the Arabic yeh only; the normaliser makes it the Persian one.
    text = HEADER + "counter,11012,دفتر پیشخوان,L-1,1,ارومیه، خیابان امام,0443,حسن رضایی\n"
    result = offices_import_csv(text.replace("ی", "ي").encode("cp1256"))
    assert result.ok, _problems(result)
    office = CounterOffice.objects.get(number=11012)
    assert (office.name, office.address, office.manager_name) == (
        "دفتر پیشخوان",
        "ارومیه، خیابان امام",
        "حسن رضایی",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Übung",  # Latin-1's Ü is Windows-1256's tatweel: it would be stored as "bung"
        "Mädchen",  # ä is an Arabic letter in Windows-1256, in the middle of a Latin word
        "Straße",
        "Café Crème",  # letters Windows-1256 shares with Latin-1
        "Øresund £5",
    ],
)
def test_a_latin1_file_is_refused_not_decoded_as_windows_1256(text, post_file):
    data = (HEADER + f"counter,7,{text},L,1,addr,,\n").encode("latin-1")
    result = offices_import_csv(data)
    assert [line for line, _message in result.errors] == [None]
    page = _refused_page(post_file(data))
    assert UTF8_REFUSAL in page and "ذخیره" in page
    assert not CounterOffice.objects.exists()


def test_a_utf8_file_with_a_broken_byte_is_refused_not_read_as_windows_1256():
    data = (HEADER + GOOD).encode()
    broken = data.replace("حسن".encode(), "حسن".encode()[:-1] + b",")
    result = offices_import_csv(broken)
    assert [line for line, _message in result.errors] == [None]
    assert UTF8_REFUSAL in result.errors[0][1]


def test_a_utf16_file_is_refused():
    for encoding in ("utf-16", "utf-16-le"):
        result = offices_import_csv((HEADER + GOOD).encode(encoding))
        assert [line for line, _message in result.errors] == [None], encoding
    assert not CounterOffice.objects.exists()


def test_nul_bytes_are_refused_and_never_stored(post_file):
    data = (HEADER + GOOD.replace("حسن", "حس\x00ن")).encode()
    result = offices_import_csv(data)
    assert [line for line, _message in result.errors] == [None]
    assert "NUL" in result.errors[0][1]
    _refused_page(post_file(data))
    assert not CounterOffice.objects.exists()


def test_format_characters_are_dropped_and_the_zwnj_is_kept():
    name = "\u202eدفتر\u200f پیشخوان\u200cها\u200b"
    result = offices_import_csv((HEADER + f"counter,7,{name},L,1,addr,,\n").encode())
    assert result.ok, _problems(result)
    assert CounterOffice.objects.get(number=7).name == "دفتر پیشخوان\u200cها"


def test_a_name_of_invisible_characters_only_is_empty():
    result = offices_import_csv((HEADER + "counter,7,\u200b\u200c\u200f,L,1,addr,,\n").encode())
    assert [line for line, _message in result.errors] == [2]
    assert "نام دفتر خالی است" in result.errors[0][1]


# --- empty, header only, columns --------------------------------------------------------------------


def test_an_empty_file_is_refused(post_file):
    for data in (b"", b"\xef\xbb\xbf", b"\n\r\n  \n"):
        result = offices_import_csv(data)
        assert [line for line, _message in result.errors] == [None], data
    response = post_file(b"")
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()  # Django's "the file is empty"
    _refused_page(post_file(b"\n\n"))


def test_a_header_only_file_is_refused(post_file):
    result = offices_import_csv(HEADER.encode())
    assert [line for line, _message in result.errors] == [None]
    _refused_page(post_file(HEADER.encode()))


def test_missing_and_unknown_and_repeated_columns_are_named(post_file):
    missing = offices_import_csv(b"kind,number\ncounter,1\n")
    assert "name" in _problems(missing)
    unknown = offices_import_csv((HEADER.strip() + ",email\n" + GOOD).encode())
    assert [line for line, _message in unknown.errors] == [1] and "email" in _problems(unknown)
    twice = offices_import_csv((HEADER.strip() + ",name\n" + GOOD).encode())
    assert [line for line, _message in twice.errors] == [1]
    _refused_page(post_file((HEADER.strip() + ",email\n" + GOOD).encode()))
    assert not CounterOffice.objects.exists()


def test_a_header_of_countless_columns_is_refused_with_a_short_message():
    header = HEADER.strip() + "," + ",".join(f"c{n}" for n in range(150_000)) + "\n"
    result = offices_import_csv((header + GOOD).encode())
    assert [line for line, _message in result.errors] == [None]
    assert len(result.errors[0][1]) < 500
    few = HEADER.strip() + "," + ",".join("x" * 1000 + str(n) for n in range(20)) + "\n"
    result = offices_import_csv((few + GOOD).encode())
    assert [line for line, _message in result.errors] == [1]
    assert len(result.errors[0][1]) < 1000


def test_a_row_of_countless_values_is_one_row_problem():
    result = offices_import_csv(
        (HEADER + "counter,7,a,L,1,addr,," + "x," * 500_000 + "\n").encode()
    )
    assert [line for line, _message in result.errors] == [2]


def test_a_row_with_more_values_than_the_header_is_refused():
    result = offices_import_csv((HEADER + GOOD + "counter,7,a,L,1,addr,,,surprise\n").encode())
    assert [line for line, _message in result.errors] == [4]
    assert not CounterOffice.objects.exists()


def test_empty_trailing_columns_and_short_rows_are_fine():
    header = HEADER.strip() + ",,\n"
    rows = "counter,7,a,L,1,addr,,,,\nnotary,8,b,L,1,addr\n"
    result = offices_import_csv((header + rows).encode())
    assert result.ok, _problems(result)
    assert CounterOffice.objects.count() == 2


def test_a_semicolon_separated_file_is_read():
    result = offices_import_csv((HEADER + GOOD).replace(",", ";").encode())
    assert result.ok, _problems(result)
    assert CounterOffice.objects.count() == 2


def test_a_quote_left_open_does_not_crash():
    result = offices_import_csv((HEADER + GOOD + 'counter,7,"a,L,1,addr,,\n').encode())
    assert not result.ok
    assert not CounterOffice.objects.exists()


# --- numbers and formulas ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("number", "¹²³"),
        ("number", "①"),
        ("number", "১২৩"),  # Bengali
        ("number", "１２３"),  # full-width
        ("number", "9" * 5000),
        ("district", "²"),
        ("district", "𝟏"),
    ],
)
def test_foreign_digits_are_a_row_problem_naming_the_row_and_column(column, value, post_file):
    cells = {"number": "7", "district": "1"} | {column: value}
    row = f"counter,{cells['number']},a,L,{cells['district']},addr,,\n"
    data = (HEADER + GOOD + row).encode()
    result = offices_import_csv(data)
    assert [line for line, _message in result.errors] == [4]
    assert column in result.errors[0][1]
    page = _refused_page(post_file(data))
    assert "سطر ۴" in page and f"ستون {column}" in page
    assert not CounterOffice.objects.exists()


def test_persian_and_arabic_indic_digits_are_numbers():
    result = offices_import_csv((HEADER + "counter,۱۲٣,a,L,٣,addr,,\n").encode())
    assert result.ok, _problems(result)
    assert CounterOffice.objects.get(number=123).district.number == 3


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("name", '=HYPERLINK("http://evil","x")'),
        ("name", "\t=1+1"),
        ("address", "@SUM(A1:A9)"),
        ("manager", "+cmd|' /C calc'!A0"),
        ("licence", "-2+3"),
        ("phone", "=1+1"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_refused(column, value):
    cells = dict.fromkeys(["name", "licence", "address", "phone", "manager"], "x") | {column: value}
    out = io.StringIO()
    csv.writer(out).writerow(
        [
            "counter",
            "7",
            cells["name"],
            cells["licence"],
            "1",
            cells["address"],
            cells["phone"],
            cells["manager"],
        ]
    )
    result = offices_import_csv((HEADER + out.getvalue()).encode())
    assert [line for line, _message in result.errors] == [2], _problems(result)
    assert column in result.errors[0][1]
    assert not CounterOffice.objects.exists()


def test_an_international_phone_number_is_not_a_formula():
    result = offices_import_csv((HEADER + "counter,7,a,L,1,addr,+98 44 3333 0001,\n").encode())
    assert result.ok, _problems(result)
    assert CounterOffice.objects.get(number=7).phone == "+98 44 3333 0001"


def test_one_bad_row_among_good_ones_imports_nothing(post_file):
    data = (HEADER + GOOD + "counter,7,a,L,1,addr,,\ncounter,8,a,L,¹,addr,,\n").encode()
    _refused_page(post_file(data))
    assert not CounterOffice.objects.exists()


# --- whatever arrives -------------------------------------------------------------------------------

_cell = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from([*',"\r\n\x00\t;=+-@¹①۱١', "\u200c", "\u202e"]),
    max_size=20,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(_cell, max_size=10), max_size=6))
def test_any_utf8_table_gives_a_result_never_an_exception(rows):
    text = HEADER + "\n".join(",".join(cells) for cells in rows)
    result = offices_import_csv(text.encode(), apply=False)
    assert all(isinstance(message, str) and message for _line, message in result.errors)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_result_never_an_exception(data):
    result = offices_import_csv(HEADER.encode() + data, apply=False)
    assert all(isinstance(message, str) and message for _line, message in result.errors)
