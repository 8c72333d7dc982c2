"""Pages with the fixed cast: it works, rows are scoped, 404 out of area, 403 for roles
that may not write, a query ceiling that does not grow with rows, exports."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budgets.models import Allocation, Disbursement, Spending
from conftest import BUKUR, KAB_MADIUN, KLAGENSERUT, TANJUNGSARI
from kotaku.tests.versions import with_version
from kotaku.workflow import ReviewStatus

from .factories import DAY, WorkFactory, allocation, disburse, source, spend

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"budgets:{name}", args=args)


@pytest.fixture
def money(regions):
    """An allocation (with a tranche and spending) in Klagenserut, Bukur and Tanjungsari."""
    rows = {}
    for code in (KLAGENSERUT, BUKUR, TANJUNGSARI):
        target = allocation(kelurahan=code, amount=80_000_000)
        disburse(target, 40_000_000)
        work = WorkFactory(kelurahan_id=code, name=f"Jalan {code}")
        rows[code] = (target, work, spend(target, work, 10_000_000))
    return rows


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# Lists and exports


def test_allocation_list_is_scoped(client_for, money, facilitator, district_reader):
    response = client_for(facilitator).get(url("allocation_list"))
    assert response.status_code == 200
    assert {a.region_id for a in response.context["allocations"]} == {KLAGENSERUT, BUKUR}
    response = client_for(district_reader).get(url("allocation_list"))
    assert len(response.context["allocations"]) == 2


def test_allocation_list_filters_by_region_year_and_source(client_for, money, national_officer):
    allocation(kabupaten=KAB_MADIUN, amount=1_000, fiscal_year=2021, source=source("dak"))
    client = client_for(national_officer)
    response = client.get(url("allocation_list"), {"region": KAB_MADIUN})
    assert len(response.context["allocations"]) == 3
    response = client.get(url("allocation_list"), {"fiscal_year": 2021})
    assert [a.region_id for a in response.context["allocations"]] == [KAB_MADIUN]
    response = client.get(url("allocation_list"), {"source": source("dak").pk})
    assert [a.region_id for a in response.context["allocations"]] == [KAB_MADIUN]


def test_allocation_export_has_the_filtered_rows_with_their_totals(
    client_for, money, district_reader
):
    response = client_for(district_reader).get(
        url("allocation_list"), {"region": BUKUR, "export": "csv"}
    )
    rows = csv_rows(response)
    assert len(rows) == 2
    year, source_name, code, _name, _recipient, decree, _date, *amounts = rows[1]
    assert (year, source_name, code, decree) == ("2020", "APBD kabupaten/kota", BUKUR, "188/1/2020")
    # allocated, passed on, disbursed, spent (approved), pending
    assert amounts == ["80000000", "0", "40000000", "10000000", "0"]


def test_allocation_export_xlsx_is_scoped(client_for, money, facilitator):
    response = client_for(facilitator).get(url("allocation_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    codes = sorted(row[2] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert codes == [BUKUR, KLAGENSERUT]


def test_disbursement_and_spending_lists_are_scoped_and_export(client_for, money, facilitator):
    client = client_for(facilitator)
    response = client.get(url("disbursement_list"))
    assert len(response.context["disbursements"]) == 2
    response = client.get(url("spending_list"), {"region": KLAGENSERUT, "export": "csv"})
    rows = csv_rows(response)
    assert len(rows) == 2 and KLAGENSERUT in rows[1] and "10000000" in rows[1]
    response = client.get(url("disbursement_list"), {"region": BUKUR, "export": "csv"})
    rows = csv_rows(response)
    assert len(rows) == 2 and BUKUR in rows[1] and "40000000" in rows[1]
    response = client.get(url("swadaya_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["allocation_list", "disbursement_list", "spending_list"])
def test_list_query_count_does_not_grow_with_rows(
    client_for, money, national_officer, django_assert_max_num_queries, name
):
    client = client_for(national_officer)
    with django_assert_max_num_queries(12):
        client.get(url(name))
    for _ in range(3):
        target = allocation(kelurahan=BUKUR, amount=1_000)
        disburse(target, 1_000)
    with django_assert_max_num_queries(12):
        assert client.get(url(name)).status_code == 200


# Allocation page


def test_allocation_detail_shows_ledger_works_and_history(
    client_for, money, district_editor, django_assert_max_num_queries
):
    target, work, _spending = money[KLAGENSERUT]
    client = client_for(district_editor)
    with django_assert_max_num_queries(20):
        response = client.get(target.get_absolute_url())
    assert response.status_code == 200
    assert [row.balance for row in response.context["ledger"]] == [40_000_000, 30_000_000]
    assert [w["work__name"] for w in response.context["works"]] == [work.name]
    fresh = WorkFactory(kelurahan_id=KLAGENSERUT, name="Drainase baru")
    WorkFactory(kelurahan_id=BUKUR, name="Drainase Bukur")
    response = client.get(target.get_absolute_url())
    assert [w.name for w in response.context["other_works"]] == [fresh.name]
    assert response.context["can_disburse"]
    assert "Rp 80.000.000" in response.content.decode()


def test_allocation_out_of_area_is_404(client_for, money, facilitator):
    target = money[TANJUNGSARI][0]
    client = client_for(facilitator)
    assert client.get(target.get_absolute_url()).status_code == 404
    assert client.get(url("disbursement_create", target.pk)).status_code == 404


# Allocation and disbursement forms (district staff)


def allocation_data(amount, bkm_pk):
    return {
        "fiscal_year": 2020,
        "source": source().pk,
        "bkm": bkm_pk,
        "decree_number": "188/9/2020",
        "decree_date": "2020-03-02",
        "amount": amount,
    }


@pytest.mark.parametrize("typed", ["750000000", "750.000.000", "Rp 750.000.000"])
def test_allocation_form_reads_amounts_the_indonesian_way(
    client_for, regions, district_editor, typed
):
    from works.tests.factories import BkmFactory

    bkm = BkmFactory()
    response = client_for(district_editor).post(
        url("allocation_create"), allocation_data(typed, bkm.pk)
    )
    assert response.status_code == 302
    assert Allocation.objects.get().amount == Decimal(750_000_000)


@pytest.mark.parametrize("typed", ["750,000,000", "-750.000.000", "7.5", "0"])
def test_allocation_form_refuses_ambiguous_or_negative_amounts(
    client_for, regions, district_editor, typed
):
    from works.tests.factories import BkmFactory

    bkm = BkmFactory()
    response = client_for(district_editor).post(
        url("allocation_create"), allocation_data(typed, bkm.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert response.context["form"]["amount"].value() == typed  # what was typed stays
    assert not Allocation.objects.exists()


def test_allocation_form_is_403_for_read_only_and_offers_only_own_bkms(
    client_for, regions, district_reader, district_editor, facilitator
):
    from works.tests.factories import BkmFactory

    BkmFactory(kelurahan_id=KLAGENSERUT)
    BkmFactory(kelurahan_id=TANJUNGSARI)
    assert client_for(district_reader).get(url("allocation_create")).status_code == 403
    assert client_for(facilitator).get(url("allocation_create")).status_code == 403
    form = client_for(district_editor).get(url("allocation_create")).context["form"]
    assert [b.kelurahan_id for b in form.fields["bkm"].queryset] == [KLAGENSERUT]


def test_a_national_officer_chooses_the_kabupaten_first_then_its_bkms(
    client_for, regions, national_officer, district_editor
):
    """The nation's 11,000 BKM/LKM are too many for one select (0.7 s on the national
    dataset): the allocation form offers those of the chosen kabupaten/kota, and its
    district allocations to be part of. A district's staff get their own as before."""
    from works.tests.factories import BkmFactory

    madiun, pacitan = BkmFactory(kelurahan_id=KLAGENSERUT), BkmFactory(kelurahan_id=TANJUNGSARI)
    district = allocation(kabupaten=KAB_MADIUN, amount=100_000_000)
    client = client_for(national_officer)
    response = client.get(url("allocation_create"))
    assert list(response.context["form"].fields["bkm"].queryset) == []
    assert 'data-testid="choose-kabupaten"' in response.text
    response = client.get(url("allocation_create"), {"within": KAB_MADIUN})
    form = response.context["form"]
    assert list(form.fields["bkm"].queryset) == [madiun]
    assert list(form.fields["part_of"].queryset) == [district]
    assert f'name="within" value="{KAB_MADIUN}"' in response.text  # kept in the POST
    data = {**allocation_data("30.000.000", pacitan.pk), "within": KAB_MADIUN}
    response = client.post(url("allocation_create"), data)
    assert "bkm" in response.context["form"].errors and Allocation.objects.count() == 1
    data = {**allocation_data("30.000.000", madiun.pk), "within": KAB_MADIUN}
    data["part_of"] = district.pk
    assert client.post(url("allocation_create"), data).status_code == 302
    assert Allocation.objects.get(bkm=madiun).part_of == district
    response = client_for(district_editor).get(url("allocation_create"))
    assert list(response.context["form"].fields["bkm"].queryset) == [madiun]
    assert 'data-testid="choose-kabupaten"' not in response.text


@pytest.mark.parametrize("typed", ["\x00", "35.19'", "Madiun"])
def test_a_chosen_kabupaten_that_is_no_code_is_told_not_queried(
    client_for, regions, national_officer, typed
):
    from works.tests.factories import BkmFactory

    bkm = BkmFactory(kelurahan_id=KLAGENSERUT)
    client = client_for(national_officer)
    response = client.get(url("allocation_create"), {"within": typed})
    assert response.status_code == 200
    assert list(response.context["form"].fields["bkm"].queryset) == []
    assert 'data-testid="choose-error"' in response.text
    assert "bukan kode wilayah. Ketik kode seperti 35.19." in response.text  # Indonesian
    data = {**allocation_data("30.000.000", bkm.pk), "within": typed}
    response = client.post(url("allocation_create"), data)
    assert response.status_code == 200 and "bkm" in response.context["form"].errors
    assert not Allocation.objects.exists()


def test_disbursement_form_refuses_one_rupiah_over_with_the_remaining_amount(
    client_for, money, district_editor
):
    target = money[KLAGENSERUT][0]
    client = client_for(district_editor)
    data = {"termin": 2, "date": "2020-08-01", "amount": "40.000.001"}
    response = client.post(url("disbursement_create", target.pk), data)
    assert response.status_code == 200
    assert "Rp 40.000.000" in str(response.context["form"].errors["amount"])
    data["amount"] = "Rp 40.000.000"
    response = client.post(url("disbursement_create", target.pk), data)
    assert response.status_code == 302
    assert Disbursement.objects.filter(allocation=target).count() == 2


def test_disbursement_form_is_403_for_read_only_roles(client_for, money, district_reader):
    target = money[KLAGENSERUT][0]
    response = client_for(district_reader).post(
        url("disbursement_create", target.pk), {"termin": 2, "date": "2020-08-01", "amount": "1"}
    )
    assert response.status_code == 403


def test_district_staff_reverse_a_disbursement_with_a_reason(client_for, regions, district_editor):
    target = allocation(amount=80_000_000)
    entry = disburse(target, 40_000_000)
    client = client_for(district_editor)
    response = client.post(url("disbursement_reverse", entry.pk), {"reason": ""})
    assert response.status_code == 200
    response = client.post(url("disbursement_reverse", entry.pk), {"reason": "Salah termin"})
    assert response.status_code == 302
    assert [d.amount for d in Disbursement.objects.order_by("pk")] == [40_000_000, -40_000_000]


def test_disbursement_reversal_is_403_for_facilitators_and_404_out_of_area(
    client_for, money, facilitator
):
    own = Disbursement.objects.get(allocation__region_id=KLAGENSERUT)
    other = Disbursement.objects.get(allocation__region_id=TANJUNGSARI)
    client = client_for(facilitator)
    assert client.post(url("disbursement_reverse", other.pk), {"reason": "x"}).status_code == 404
    assert client.post(url("disbursement_reverse", own.pk), {"reason": "x"}).status_code == 403


# Spending and swadaya (facilitators)


def test_facilitator_records_and_submits_spending_on_a_work_in_their_kelurahan(
    client_for, money, facilitator
):
    target, work, _spending = money[KLAGENSERUT]
    client = client_for(facilitator)
    form = client.get(url("spending_create", work.pk)).context["form"]
    assert list(form.fields["allocation"].queryset) == [target]
    response = client.post(
        url("spending_create", work.pk),
        {
            "allocation": target.pk,
            "date": "2020-07-10",
            "amount": "Rp 5.000.000",
            "category": "wages",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    entry = Spending.objects.filter(work=work).latest("pk")
    assert (entry.amount, entry.status) == (5_000_000, ReviewStatus.SUBMITTED)


def test_spending_over_what_was_disbursed_is_refused_and_nothing_is_saved(
    client_for, money, facilitator
):
    target, work, _spending = money[KLAGENSERUT]
    response = client_for(facilitator).post(
        url("spending_create", work.pk),
        {
            "allocation": target.pk,
            "date": "2020-07-10",
            "amount": "30.000.001",
            "category": "tools",
        },
    )
    assert response.status_code == 200
    assert "Rp 30.000.000" in str(response.context["form"].errors["amount"])
    assert Spending.objects.filter(work=work).count() == 1


def test_spending_forms_are_404_out_of_area_and_403_for_read_only(
    client_for, money, facilitator, district_reader
):
    assert (
        client_for(facilitator).get(url("spending_create", money[TANJUNGSARI][1].pk)).status_code
        == 404
    )
    own_work = money[KLAGENSERUT][1]
    assert client_for(district_reader).get(url("spending_create", own_work.pk)).status_code == 403
    assert client_for(district_reader).get(url("swadaya_create", own_work.pk)).status_code == 403


def test_spending_review_verify_then_approve(client_for, money, district_reader, district_editor):
    target, work, _ = money[KLAGENSERUT]
    entry = spend(target, work, 1_000_000, status=ReviewStatus.SUBMITTED)
    response = client_for(district_reader).post(
        url("spending_review", entry.pk), {"action": "verify"}
    )
    assert response.status_code == 302
    client_for(district_editor).post(url("spending_review", entry.pk), {"action": "approve"})
    entry.refresh_from_db()
    assert entry.status == ReviewStatus.APPROVED
    response = client_for(district_editor).get(entry.get_absolute_url())
    assert response.context["can_reverse"]


def test_spending_detail_is_404_out_of_area(client_for, money, facilitator):
    other = money[TANJUNGSARI][2]
    assert client_for(facilitator).get(other.get_absolute_url()).status_code == 404


def test_spending_reversal_needs_district_staff(client_for, money, facilitator, district_editor):
    entry = money[KLAGENSERUT][2]
    assert (
        client_for(facilitator).post(url("spending_reverse", entry.pk), {"reason": "x"}).status_code
        == 403
    )
    response = client_for(district_editor).post(
        url("spending_reverse", entry.pk), {"reason": "Nota ganda"}
    )
    assert response.status_code == 302
    assert entry.reversed_by.amount == -10_000_000


def test_swadaya_is_recorded_and_reviewed(client_for, money, facilitator):
    work = money[KLAGENSERUT][1]
    client = client_for(facilitator)
    response = client.post(
        url("swadaya_create", work.pk),
        {
            "date": "2020-07-10",
            "kind": "in_kind",
            "value": "2.500.000",
            "description": "Tenaga warga",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    contribution = work.swadaya_contributions.get()
    assert contribution.value == 2_500_000 and contribution.status == ReviewStatus.SUBMITTED
    assert client.get(contribution.get_absolute_url()).status_code == 200


def test_work_money_page_and_overrun_for_district_staff(
    client_for, money, facilitator, district_editor, django_assert_max_num_queries
):
    work = money[KLAGENSERUT][1]
    client = client_for(facilitator)
    target = money[KLAGENSERUT][0]
    for _ in range(3):
        spend(target, work, 1_000, status=ReviewStatus.SUBMITTED)
    with django_assert_max_num_queries(20):
        response = client.get(url("work_money", work.pk))
    assert response.context["money"]["spent"] == 10_000_000
    assert response.context["money"]["pending"] == 3_000
    assert (
        client_for(facilitator)
        .post(url("overrun_create", work.pk), {"amount": "1", "reason": "x"})
        .status_code
        == 403
    )
    response = client_for(district_editor).post(
        url("overrun_create", work.pk), {"amount": "5.000.000", "reason": "Harga naik"}
    )
    assert response.status_code == 302
    assert work.overrun_approvals.get().amount == 5_000_000


# Realization


def test_realization_page_drills_down_with_a_chart(
    client_for, money, district_reader, django_assert_max_num_queries
):
    client = client_for(district_reader)
    spend(*money[BUKUR][:2], 1_000, status=ReviewStatus.SUBMITTED)
    allocation(kelurahan=BUKUR, amount=5_000, fiscal_year=2021)
    with django_assert_max_num_queries(20):  # four grouped sums per table, however many rows
        response = client.get(url("realization"), {"within": "35.19.09"})
    assert response.status_code == 200
    rows = {row.key: row for row in response.context["rows"]}
    assert set(rows) == {KLAGENSERUT, BUKUR}
    assert rows[KLAGENSERUT].realization == Decimal("12.5")
    assert "<svg" in response.content.decode() and "<script" not in response.content.decode()


def test_realization_heads_its_percent_columns_in_each_language(client_for, money, facilitator):
    client = client_for(facilitator)
    assert '<th class="num hide-sm">% Dicairkan</th>' in client.get(url("realization")).text
    client.cookies["django_language"] = "en"
    assert '<th class="num hide-sm">Disbursed %</th>' in client.get(url("realization")).text


def test_realization_out_of_area_is_404(client_for, money, facilitator):
    assert client_for(facilitator).get(url("realization"), {"within": "35.01"}).status_code == 404
    assert client_for(facilitator).get(url("realization"), {"within": "xx"}).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, regions):
    response = client.get(url("allocation_list"))
    assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_returned_swadaya_is_corrected_and_sent_again(client_for, money, facilitator):
    from budgets import services
    from budgets.models import SwadayaContribution

    work = money[KLAGENSERUT][1]
    entry = services.swadaya_create(
        work=work,
        user=facilitator,
        date=DAY,
        kind="cash",
        value=Decimal(1_000),
        description="Iuran",
    )
    SwadayaContribution.objects.filter(pk=entry.pk).update(status=ReviewStatus.RETURNED)
    client = client_for(facilitator)
    response = client.post(
        url("swadaya_update", entry.pk),
        with_version(
            entry,
            {
                "date": "2020-07-10",
                "kind": "cash",
                "value": "1.500",
                "description": "Iuran",
                "submit": "1",
            },
        ),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.value, entry.status) == (1_500, ReviewStatus.SUBMITTED)
    assert client.get(url("swadaya_update", entry.pk)).status_code == 404  # no longer editable


def test_returned_spending_is_corrected_and_sent_again(client_for, money, facilitator):
    target, work, _ = money[KLAGENSERUT]
    entry = spend(target, work, 1_000, status=ReviewStatus.RETURNED)
    response = client_for(facilitator).post(
        url("spending_update", entry.pk),
        with_version(
            entry,
            {
                "allocation": target.pk,
                "date": "2020-07-10",
                "amount": "2.000",
                "category": "tools",
                "submit": "1",
            },
        ),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.amount, entry.status) == (2_000, ReviewStatus.SUBMITTED)


def test_a_document_that_is_not_a_pdf_is_refused(client_for, money, district_editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    target = money[KLAGENSERUT][0]
    fake = SimpleUploadedFile("sp2d.pdf", b"not a pdf", "application/pdf")
    response = client_for(district_editor).post(
        url("disbursement_create", target.pk),
        {"termin": 2, "date": "2020-08-01", "amount": "1.000", "document": fake},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["document"]
    assert Disbursement.objects.filter(allocation=target).count() == 1


def test_realization_of_one_kelurahan_shows_its_own_allocations(client_for, money, facilitator):
    response = client_for(facilitator).get(url("realization"), {"within": KLAGENSERUT})
    rows = response.context["rows"]
    assert [(row.key, row.allocated, row.drill) for row in rows] == [
        (KLAGENSERUT, 80_000_000, False)
    ]


def test_pages_link_to_an_allocation_only_where_the_user_may_open_it(
    client_for, regions, facilitator, district_editor
):
    """A BKM's part of the district's allocation, and the district's money spent on a
    work in the facilitator's desa, name the district's allocation: the facilitator, who
    cannot open it (404), sees its name without a link; the district staff see the link."""
    district = allocation(kabupaten=KAB_MADIUN, amount=100_000_000)
    part = allocation(kelurahan=KLAGENSERUT, amount=30_000_000, part_of=district)
    disburse(district, 50_000_000)
    work = WorkFactory(kelurahan_id=KLAGENSERUT, name="Drainase RT 02")
    entry = spend(district, work, 5_000_000)
    link = f'href="{district.get_absolute_url()}"'
    client = client_for(facilitator)
    assert client.get(district.get_absolute_url()).status_code == 404
    for page in (part.get_absolute_url(), entry.get_absolute_url()):
        response = client.get(page)
        assert response.status_code == 200
        assert str(district) in response.text and link not in response.text
    client = client_for(district_editor)
    for page in (part.get_absolute_url(), entry.get_absolute_url()):
        assert link in client.get(page).text
