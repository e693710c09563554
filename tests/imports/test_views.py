"""The staff import pages: upload, preview with row errors, confirm, result; export downloads."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exhibitors.imports.views import SESSION_KEY
from exhibitors.models import Exhibitor

from .conftest import read_rows, sample, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _upload_dir(settings, tmp_path):
    settings.RESOURCE_IMPORT_DIR = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def upload(client, path, kind="exhibitors"):
    with path.open("rb") as stream:
        return client.post(reverse("resource_imports:import"), {"kind": kind, "file": stream})


def test_staff_upload_preview_confirm_and_result(
    client, staff_user, tmp_path, _upload_dir, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    assert client.get(reverse("resource_imports:import")).status_code == 200
    rows = read_rows(sample("exhibitors.csv"))
    rows[3][0] = "bad/key"
    response = upload(client, write_csv(tmp_path / "staff.csv", rows))
    assert response.status_code == 302
    token = next(iter(client.session[SESSION_KEY]))
    assert response["Location"] == reverse("resource_imports:preview", kwargs={"token": token})
    assert len(list(_upload_dir.iterdir())) == 1

    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'data-summary="created 4, updated 0, unchanged 0, rejected 1"' in html
    assert "bad/key" in html and "<td>4</td><td>key</td>" in html
    assert not Exhibitor.objects.exists()  # the preview is a dry run
    assert client.get(response["Location"]).status_code == 200  # and can be reloaded

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response["Location"])
    assert done.status_code == 302
    assert done["Location"] == reverse("resource_imports:result", kwargs={"token": token})
    assert Exhibitor.objects.count() == 4
    result = client.get(done["Location"]).content.decode()
    assert 'data-summary="created 4, updated 0, unchanged 0, rejected 1"' in result
    assert list(_upload_dir.iterdir()) == []  # imported files are removed
    assert client.post(response["Location"]).status_code == 302  # a second confirm imports nothing
    assert Exhibitor.objects.count() == 4


def test_all_or_nothing_from_the_preview(client, staff_user, tmp_path):
    client.force_login(staff_user)
    rows = read_rows(sample("exhibitors.csv"))
    rows[1][0] = "bad key"
    response = upload(client, write_csv(tmp_path / "e.csv", rows))
    done = client.post(response["Location"], {"atomic": "on"})
    page = client.get(done["Location"]).content.decode()
    assert "nothing was written" in page or "未写入任何数据" in page  # the admin speaks the staff's language
    assert not Exhibitor.objects.exists()


def test_an_unreadable_upload_goes_back_to_the_form_with_the_reason(
    client, staff_user, tmp_path, _upload_dir
):
    client.force_login(staff_user)
    path = tmp_path / "e.csv"
    path.write_bytes("key,name_en\nA,B\n".encode("utf-16"))
    response = upload(client, path)
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0] == reverse("resource_imports:import")
    assert "GB18030" in page.content.decode()
    assert list(_upload_dir.iterdir()) == []


def test_the_form_refuses_other_file_types(client, staff_user, tmp_path):
    client.force_login(staff_user)
    path = tmp_path / "e.txt"
    path.write_text("key,name_en\n")
    response = upload(client, path)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session or not client.session[SESSION_KEY]


def test_a_waiting_upload_can_be_discarded(client, staff_user, _upload_dir):
    client.force_login(staff_user)
    response = upload(client, sample("buyers.csv"), kind="buyers")
    token = next(iter(client.session[SESSION_KEY]))
    assert "buyers.csv" in client.get(reverse("resource_imports:import")).content.decode()
    client.post(reverse("resource_imports:cancel", kwargs={"token": token}))
    assert list(_upload_dir.iterdir()) == []
    assert client.get(response["Location"]).status_code == 404


def test_another_session_cannot_use_a_token(client, staff_user, django_user_model):
    client.force_login(staff_user)
    response = upload(client, sample("exhibitors.csv"))
    other = django_user_model.objects.create_user(
        username="o", email="o@example.com", password="x", is_staff=True, is_superuser=True
    )
    client.force_login(other)
    assert client.get(response["Location"]).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_staff_download_an_export(client, staff_user, fmt):
    from exhibitors.imports.engine import import_file

    import_file("exhibitors", sample("exhibitors.csv"))
    client.force_login(staff_user)
    response = client.get(reverse("resource_imports:export", kwargs={"kind": "exhibitors", "fmt": fmt}))
    assert response.status_code == 200
    assert 'filename="exhibitors-' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        assert body.startswith(b"\xef\xbb\xbfkey,name_zh,name_en")
    else:
        sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        assert sum(1 for _row in sheet.iter_rows()) == 6


def test_non_staff_users_are_refused(client, django_user_model):
    url = reverse("resource_imports:import")
    export = reverse("resource_imports:export", kwargs={"kind": "buyers", "fmt": "csv"})
    assert client.get(url).status_code == 302
    assert "login" in client.get(url)["Location"]
    user = django_user_model.objects.create_user(username="u", email="u@example.com", password="x")
    client.force_login(user)
    # Wagtail's admin sends people without admin access back to its login page.
    assert client.get(url).status_code in (302, 403)
    assert client.get(export).status_code in (302, 403)
    with sample("exhibitors.csv").open("rb") as stream:
        assert client.post(url, {"kind": "exhibitors", "file": stream}).status_code in (302, 403)
    assert not Exhibitor.objects.exists()
