"""Upload checks: the type is read from the file's first bytes, never from its name."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_IMAGE_BYTES = 5 * 1024 * 1024

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "webp": (b"RIFF",),  # followed by WEBP at offset 8
}


def sniff(file) -> str | None:
    """The real type of an uploaded file (pdf, jpeg, png, webp) or None."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    for kind, prefixes in SIGNATURES.items():
        if any(head.startswith(prefix) for prefix in prefixes):
            if kind == "webp" and head[8:12] != b"WEBP":
                continue
            return kind
    return None


def _check(file, allowed: set[str], limit: int, label: str) -> None:
    if file is None or getattr(file, "_committed", False):
        return  # a file already stored was checked when it was uploaded
    if file.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB."),
            params={"size": round(file.size / 1024 / 1024, 1), "limit": limit // 1024 // 1024},
            code="too_large",
        )
    kind = sniff(file)
    if kind not in allowed:
        raise ValidationError(
            _("This file is not a %(label)s (its content says otherwise, whatever its name)."),
            params={"label": label},
            code="wrong_type",
        )


def validate_document(file) -> None:
    """A scanned document: PDF, JPEG or PNG, at most 10 MB."""
    _check(file, {"pdf", "jpeg", "png"}, MAX_DOCUMENT_BYTES, "PDF, JPEG or PNG")


def validate_image(file) -> None:
    """A picture: JPEG, PNG or WebP, at most 5 MB."""
    _check(file, {"jpeg", "png", "webp"}, MAX_IMAGE_BYTES, "JPEG, PNG or WebP")
