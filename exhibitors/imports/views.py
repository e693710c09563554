"""Staff pages (Wagtail admin) to import and export the resource spreadsheets.

Upload → preview (a dry run) → confirm → result. The uploaded file waits in a private
folder under a random token that only the uploader's session knows, so a preview can be
reloaded and confirmed later; it is removed once imported or when the upload is cancelled.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from functools import wraps
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .engine import ImportReport, export_file, import_file
from .kinds import KINDS
from .reader import MAX_FILE_BYTES, ImportFileError, too_large_message

SESSION_KEY = "resource_imports"
KEEP_SECONDS = 3 * 24 * 3600  # files nobody came back for are cleared after this
SHOWN_MESSAGES = 500
KIND_LABELS = {
    "exhibitors": gettext_lazy("Exhibitors"),
    "products": gettext_lazy("Products"),
    "buyers": gettext_lazy("Buyers"),
    "requests": gettext_lazy("Sourcing requests"),
}
SUFFIXES = (".csv", ".xlsx")


def staff_required(view):
    """Staff only: visitors go to the admin login, signed-in non-staff users get a 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def upload_dir() -> Path:
    """Private (not under MEDIA_ROOT, which is served publicly) and shared by all workers."""
    configured = getattr(settings, "RESOURCE_IMPORT_DIR", None)
    base = Path(configured) if configured else Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())
    folder = base if configured else base / "foodexpo-resource-imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _clear_stale_uploads(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass  # another worker got there first


class ResourceUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("The file holds"), choices=list(KIND_LABELS.items()))
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("CSV (UTF-8 or GBK) or XLSX, header row first, at most 50 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(too_large_message(upload.size))
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


def _uploads(request) -> dict[str, dict]:
    return request.session.setdefault(SESSION_KEY, {})


def _entry(request, token: str) -> dict:
    entry = _uploads(request).get(token)
    if entry is None:
        raise Http404(_("No such upload."))
    return entry


def _forget(request, token: str) -> None:
    entry = _uploads(request).pop(token, None)
    request.session.modified = True
    if entry and entry.get("file"):
        (upload_dir() / entry["file"]).unlink(missing_ok=True)


def _report_context(report: ImportReport) -> dict:
    data = report.as_dict()
    data["error_count"] = len(report.errors)
    data["warning_count"] = len(report.warnings)
    data["errors"] = data["errors"][:SHOWN_MESSAGES]
    data["warnings"] = data["warnings"][:SHOWN_MESSAGES]
    return data


def _kind_links() -> list[dict]:
    return [
        {
            "kind": kind,
            "label": KIND_LABELS[kind],
            "csv": reverse("resource_imports:export", kwargs={"kind": kind, "fmt": "csv"}),
            "xlsx": reverse("resource_imports:export", kwargs={"kind": kind, "fmt": "xlsx"}),
        }
        for kind in KINDS
    ]


@method_decorator(staff_required, name="dispatch")
class ResourceImportView(View):
    """Choose a kind and upload a file; also lists waiting uploads and the export downloads."""

    template_name = "exhibitors/imports/upload.html"

    def get(self, request):
        return self._render(request, ResourceUploadForm())

    def post(self, request):
        form = ResourceUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form)
        folder = upload_dir()
        _clear_stale_uploads(folder)
        upload = form.cleaned_data["file"]
        token = secrets.token_urlsafe(16)
        filename = f"{token}{Path(upload.name).suffix.lower()}"
        with (folder / filename).open("wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
        _uploads(request)[token] = {
            "kind": form.cleaned_data["kind"],
            "name": Path(upload.name).name,
            "file": filename,
            "uploaded_at": timezone.now().isoformat(),
        }
        request.session.modified = True
        return redirect("resource_imports:preview", token=token)

    def _render(self, request, form):
        waiting = [
            {"token": token, **entry, "label": KIND_LABELS.get(entry["kind"], entry["kind"])}
            for token, entry in _uploads(request).items()
            if entry.get("file")
        ]
        return render(
            request, self.template_name, {"form": form, "waiting": waiting, "exports": _kind_links()}
        )


@method_decorator(staff_required, name="dispatch")
class ResourceImportPreviewView(View):
    """GET: a dry run shows every rejected row and the would-be summary. POST: import."""

    template_name = "exhibitors/imports/preview.html"

    def get(self, request, token):
        entry = _entry(request, token)
        if not entry.get("file"):
            return redirect("resource_imports:result", token=token)
        try:
            report = import_file(entry["kind"], upload_dir() / entry["file"], dry_run=True)
        except ImportFileError as exc:
            return self._unusable(request, token, exc)
        context = {
            "token": token,
            "entry": entry,
            "label": KIND_LABELS[entry["kind"]],
            "report": _report_context(report),
        }
        return render(request, self.template_name, context)

    def post(self, request, token):
        entry = _entry(request, token)
        if not entry.get("file"):
            return redirect("resource_imports:result", token=token)
        path = upload_dir() / entry["file"]
        try:
            report = import_file(entry["kind"], path, atomic=request.POST.get("atomic") == "on")
        except ImportFileError as exc:
            return self._unusable(request, token, exc)
        entry["file"] = ""
        entry["result"] = _report_context(report)
        request.session.modified = True
        # The file goes only once the import is committed; a failed request keeps it.
        transaction.on_commit(lambda: path.unlink(missing_ok=True))
        return redirect("resource_imports:result", token=token)

    def _unusable(self, request, token, exc):
        messages.error(request, _("The file cannot be imported: %(reason)s") % {"reason": exc})
        _forget(request, token)
        return redirect("resource_imports:import")


@method_decorator(staff_required, name="dispatch")
class ResourceImportResultView(View):
    template_name = "exhibitors/imports/result.html"

    def get(self, request, token):
        entry = _entry(request, token)
        if "result" not in entry:
            return redirect("resource_imports:preview", token=token)
        context = {"entry": entry, "label": KIND_LABELS[entry["kind"]], "report": entry["result"]}
        return render(request, self.template_name, context)


@method_decorator(staff_required, name="dispatch")
class ResourceImportCancelView(View):
    def post(self, request, token):
        _entry(request, token)
        _forget(request, token)
        messages.info(request, _("The upload was discarded; nothing was imported."))
        return redirect("resource_imports:import")


@method_decorator(staff_required, name="dispatch")
class ResourceExportView(View):
    """Every record of a kind as a download, in the import format."""

    def get(self, request, kind, fmt):
        if kind not in KINDS or fmt not in ("csv", "xlsx"):
            raise Http404(_("No such export."))
        spool = tempfile.TemporaryFile()
        export_file(kind, spool, fmt)
        spool.seek(0)
        filename = f"{kind}-{timezone.localdate().isoformat()}.{fmt}"
        return FileResponse(spool, as_attachment=True, filename=filename)
