import pytest

from shahrvand.billing import (
    Bill,
    barcode,
    bill_id_is_valid,
    bill_id_make,
    bill_make,
    mod11_check_digit,
    payment_amount_rials,
    payment_id_is_valid,
    payment_id_make,
)

# Valid pairs from the persian-tools libraries' tests (domain notes); all three were issued in 1397,
# period 01: their payment IDs carry year digit 7.
KNOWN_PAIRS = [
    # bill ID, payment ID, amount in rials, (file number, company code, service type)
    ("7748317800142", "1770160", 17_000, ("77483178", "001", 4)),  # fixed phone
    ("2050327604613", "1070189", 10_000, ("20503276", "046", 1)),  # water
    ("9403272004129", "95570163", 955_000, ("94032720", "041", 2)),  # electricity
]


def _one_digit_changed(value: str):
    for position, digit in enumerate(value):
        for other in "0123456789":
            if other != digit:
                yield value[:position] + other + value[position + 1 :]


def test_check_digit_weights_run_from_the_right():
    # 2*1 = 2 -> 11 - 2 = 9; 3*1 + 2*0 = 3 -> 8; a remainder of 0 or 1 gives 0.
    assert mod11_check_digit("1") == 9
    assert mod11_check_digit("10") == 8
    assert mod11_check_digit("0") == 0
    assert mod11_check_digit("6") == 0  # 12 mod 11 = 1
    # The seventh digit from the right is weighted 2 again.
    assert mod11_check_digit("1000000") == mod11_check_digit("1")


@pytest.mark.parametrize("digits", ["", "12a4", "۱۲۳", "12 34"])
def test_check_digit_needs_ascii_digits(digits):
    with pytest.raises(ValueError):
        mod11_check_digit(digits)


@pytest.mark.parametrize(("bill_id", "payment_id", "amount", "parts"), KNOWN_PAIRS)
def test_known_pairs_are_valid_and_decode(bill_id, payment_id, amount, parts):
    assert bill_id_is_valid(bill_id)
    assert payment_id_is_valid(bill_id, payment_id)
    assert payment_amount_rials(payment_id) == amount


@pytest.mark.parametrize(("bill_id", "payment_id", "amount", "parts"), KNOWN_PAIRS)
def test_known_pairs_rebuild_from_their_parts(bill_id, payment_id, amount, parts):
    file_number, company_code, service_type = parts
    assert (
        bill_id_make(file_number=file_number, company_code=company_code, service_type=service_type)
        == bill_id
    )
    assert (
        bill_id_make(
            file_number=int(file_number), company_code=company_code, service_type=service_type
        )
        == bill_id
    )
    assert payment_id_make(bill_id=bill_id, amount_rials=amount, year=1397, period=1) == payment_id


def test_known_invalid_bill_id():
    assert not bill_id_is_valid("2234322344613")
    assert mod11_check_digit("223432234461") == 7
    assert bill_id_is_valid("2234322344617")


@pytest.mark.parametrize(("bill_id", "payment_id", "amount", "parts"), KNOWN_PAIRS)
def test_any_single_digit_change_is_caught(bill_id, payment_id, amount, parts):
    for changed in _one_digit_changed(bill_id):
        assert not bill_id_is_valid(changed), changed
        assert not payment_id_is_valid(changed, payment_id), changed
    for changed in _one_digit_changed(payment_id):
        assert not payment_id_is_valid(bill_id, changed), changed


def test_payment_id_belongs_to_its_bill():
    # Each payment ID is valid on its own but its second check digit binds it to one bill.
    (bill_a, payment_a, *_), (bill_b, payment_b, *_) = KNOWN_PAIRS[:2]
    assert not payment_id_is_valid(bill_a, payment_b)
    assert not payment_id_is_valid(bill_b, payment_a)


@pytest.mark.parametrize(
    "bill_id",
    ["", "12345", "77483178001420", "77483178OO142", "۷۷۴۸۳۱۷۸۰۰۱۴۲", " 7748317800142", "000000"],
)
def test_malformed_bill_ids(bill_id):
    assert not bill_id_is_valid(bill_id)


def test_padding_zeros_from_a_barcode_are_accepted():
    short = bill_id_make(file_number=42, company_code="123")
    assert bill_id_is_valid(short.zfill(13))
    assert payment_id_is_valid("7748317800142", "0000001770160")
    assert payment_amount_rials("0000001770160") == 17_000


def test_municipal_bill_round_trips():
    bill = bill_make(
        file_number=1234567, company_code="044", amount_rials=2_350_000, year=1404, period=3
    )
    assert isinstance(bill, Bill)
    assert bill.bill_id.startswith("1234567044" + "6")  # service type 6: municipality
    assert bill_id_is_valid(bill.bill_id)
    assert bill.payment_id.startswith("2350" + "4" + "03")
    assert payment_id_is_valid(bill.bill_id, bill.payment_id)
    assert payment_amount_rials(bill.payment_id) == bill.amount_rials == 2_350_000


@pytest.mark.parametrize("amount", [1_000, 999_000, 12_345_000, 99_999_999_000])
def test_amounts_round_trip_up_to_eight_digits_of_thousands(amount):
    bill = bill_make(file_number=9, company_code="001", amount_rials=amount, year=1405, period=99)
    assert payment_id_is_valid(bill.bill_id, bill.payment_id)
    assert payment_amount_rials(bill.payment_id) == amount


def test_barcode_is_both_ids_padded_to_thirteen():
    assert barcode("7748317800142", "1770160") == "7748317800142" + "0000001770160"
    code = barcode("9403272004129", "95570163")
    assert len(code) == 26 and code.isdigit()
    bill = bill_make(file_number=42, company_code="123", amount_rials=5_000, year=1404, period=1)
    assert len(bill.barcode) == 26
    assert bill.barcode == bill.bill_id.zfill(13) + bill.payment_id.zfill(13)


def test_barcode_refuses_a_pair_that_does_not_match():
    with pytest.raises(ValueError):
        barcode("7748317800142", "1070189")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"file_number": 0},
        {"file_number": 123456789},
        {"file_number": ""},
        {"file_number": "12a"},
        {"file_number": 12.0},
        {"company_code": "12"},
        {"company_code": "1234"},
        {"company_code": 123},
        {"service_type": 10},
        {"service_type": -1},
    ],
)
def test_bill_id_make_rejects_bad_parts(kwargs):
    arguments = {"file_number": 1234, "company_code": "001", "service_type": 6} | kwargs
    with pytest.raises(ValueError):
        bill_id_make(**arguments)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"amount_rials": 17_500},  # not whole thousands
        {"amount_rials": 0},
        {"amount_rials": -1_000},
        {"amount_rials": 100_000_000_000},  # nine digits of thousands
        {"amount_rials": 17_000.0},
        {"year": 2026},  # a Gregorian year would encode the wrong digit
        {"year": 4},
        {"period": 0},
        {"period": 100},
        {"bill_id": "2234322344613"},  # wrong check digit
    ],
)
def test_payment_id_make_rejects_bad_inputs(kwargs):
    arguments = {"bill_id": "7748317800142", "amount_rials": 17_000, "year": 1397, "period": 1}
    with pytest.raises(ValueError):
        payment_id_make(**(arguments | kwargs))


@pytest.mark.parametrize("payment_id", ["", "12345", "1770150", "17701600000000", "abc"])
def test_amount_of_a_malformed_payment_id_is_an_error(payment_id):
    with pytest.raises(ValueError):
        payment_amount_rials(payment_id)


def test_the_largest_billable_amount_is_one_named_limit():
    from shahrvand.billing import MAX_AMOUNT_RIALS

    bill = bill_make(
        file_number=1, company_code="442", amount_rials=MAX_AMOUNT_RIALS, year=1404, period=1
    )
    assert payment_amount_rials(bill.payment_id) == MAX_AMOUNT_RIALS == 99_999_999_000
    with pytest.raises(ValueError):
        bill_make(
            file_number=1,
            company_code="442",
            amount_rials=MAX_AMOUNT_RIALS + 1000,
            year=1404,
            period=1,
        )
