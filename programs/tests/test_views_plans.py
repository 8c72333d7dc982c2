import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import KAB_MADIUN, KAB_PACITAN, KLAGENSERUT, TANJUNGSARI
from programs import services
from programs.models import Commitment, RkmProposal, Rp2kpkp, Rplp

from .factories import make_proposal, region
from .test_uploads import PDF

pytestmark = pytest.mark.django_db


def proposal_data(**changes):
    data = {
        "kelurahan": KLAGENSERUT,
        "year": 2020,
        "priority": 1,
        "aspect": "jalan",
        "work_type": "Paving road",
        "rt": 7,
        "rw": 2,
        "volume": "140",
        "unit": "m",
        "estimated_cost": "80000000",
        "funding_source": "swadaya",
    }
    data.update(changes)
    return data


def make_plan(code=KAB_MADIUN):
    return services.rp2kpkp_create(
        kabupaten=region(code), title=f"RP2KPKP {code}", start_year=2020, end_year=2024
    )


def test_rkm_list_is_scoped(client_for, facilitator, django_assert_max_num_queries):
    for priority in range(1, 6):
        make_proposal(priority=priority)
    make_proposal(code=TANJUNGSARI)
    client = client_for(facilitator)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("programs:rkm_list"))
    assert len(response.context["proposals"]) == 5
    response = client_for(facilitator).get(reverse("programs:rkm_list"), {"year": 2021})
    assert len(response.context["proposals"]) == 0


def test_facilitator_proposes_a_work(client_for, facilitator):
    response = client_for(facilitator).post(reverse("programs:rkm_create"), proposal_data())
    proposal = RkmProposal.objects.get()
    assert response.status_code == 302
    assert str(proposal.rtrw) == "RT 07 / RW 02"


def test_bad_rt_and_duplicate_priority_keep_the_input(client_for, facilitator):
    make_proposal(priority=1)
    client = client_for(facilitator)
    response = client.post(reverse("programs:rkm_create"), proposal_data(rt="0", work_type="Drain"))
    assert "rt" in response.context["form"].errors
    assert 'value="Drain"' in response.content.decode()
    response = client.post(reverse("programs:rkm_create"), proposal_data(estimated_cost="-5"))
    assert "estimated_cost" in response.context["form"].errors
    response = client.post(reverse("programs:rkm_create"), proposal_data())
    assert response.context["form"].errors
    assert RkmProposal.objects.count() == 1


@pytest.mark.parametrize(
    ("cast", "status"), [("outsider", 404), ("district_reader", 403), ("district_editor", 200)]
)
def test_rkm_edit_is_scoped_and_role_checked(request, regions, client_for, cast, status):
    proposal = make_proposal()
    url = reverse("programs:rkm_update", args=[proposal.pk])
    assert client_for(request.getfixturevalue(cast)).get(url).status_code == status


def test_rplp_upload_refuses_a_text_file_named_pdf(client_for, facilitator):
    client = client_for(facilitator)
    data = {"kelurahan": KLAGENSERUT, "title": "RPLP Klagenserut", "document_status": "draft"}
    fake = SimpleUploadedFile("rplp.pdf", b"hello")
    response = client.post(reverse("programs:rplp_create"), {**data, "document": fake})
    assert response.status_code == 200
    assert "document" in response.context["form"].errors
    assert not Rplp.objects.exists()
    real = SimpleUploadedFile("rplp.pdf", PDF)
    response = client.post(reverse("programs:rplp_create"), {**data, "document": real})
    assert response.status_code == 302
    plan = Rplp.objects.get()
    detail = client.get(plan.get_absolute_url())
    assert detail.status_code == 200 and plan.document.url in detail.content.decode()


def test_rplp_detail_out_of_area_is_404(client_for, outsider):
    plan = services.rplp_create(kelurahan=region(KLAGENSERUT), title="RPLP")
    assert client_for(outsider).get(plan.get_absolute_url()).status_code == 404
    assert client_for(outsider).get(reverse("programs:rplp_list")).context["plans"].count() == 0


def test_facilitator_reads_their_kabupaten_plan_but_cannot_edit_it(client_for, facilitator):
    plan = make_plan()
    client = client_for(facilitator)
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_change"] is False
    assert client.get(reverse("programs:rp2kpkp_update", args=[plan.pk])).status_code == 403
    url = reverse("programs:commitment_create", args=[plan.pk])
    data = {"year": 2020, "funding_source": "dak", "amount": 5}
    assert client.post(url, data).status_code == 403


def test_rp2kpkp_of_another_kabupaten_is_404(client_for, district_editor):
    plan = make_plan(KAB_PACITAN)
    assert client_for(district_editor).get(plan.get_absolute_url()).status_code == 404


def test_district_editor_adds_commitments(
    client_for, district_editor, django_assert_max_num_queries
):
    plan = make_plan()
    client = client_for(district_editor)
    url = reverse("programs:commitment_create", args=[plan.pk])
    for year in (2020, 2021, 2022):
        data = {"year": year, "funding_source": "apbd_kabkota", "amount": 420_000_000}
        assert client.post(url, data).status_code == 302
    response = client.post(url, {"year": 2020, "funding_source": "apbd_kabkota", "amount": 1})
    assert response.status_code == 400
    assert response.context["commitment_form"].non_field_errors()
    assert Commitment.objects.count() == 3
    with django_assert_max_num_queries(15):
        response = client.get(plan.get_absolute_url())
    assert [t["total"] for t in response.context["yearly_totals"]] == [420_000_000] * 3


def test_read_only_role_cannot_add_commitments(client_for, district_reader):
    plan = make_plan()
    url = reverse("programs:commitment_create", args=[plan.pk])
    data = {"year": 2020, "funding_source": "dak", "amount": 5}
    assert client_for(district_reader).post(url, data).status_code == 403


def test_rp2kpkp_list_sums_commitments(client_for, national_officer):
    plan = make_plan()
    services.commitment_add(plan=plan, year=2020, funding_source="dak", amount=100)
    services.commitment_add(plan=plan, year=2021, funding_source="dak", amount=50)
    make_plan(KAB_PACITAN)
    response = client_for(national_officer).get(reverse("programs:rp2kpkp_list"))
    assert sorted((p.committed or 0) for p in response.context["plans"]) == [0, 150]
    assert Rp2kpkp.objects.count() == 2
