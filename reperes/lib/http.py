"""Request helpers."""

from django.conf import settings
from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def client_ip(request):
    """The visitor's address, for login throttling only (never stored with answers).

    Behind our own TLS proxy (BEHIND_TLS_PROXY), the last X-Forwarded-For entry is the one the
    proxy added; earlier entries come from the client and cannot be trusted.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR")


def download(content, *, filename, content_type):
    """A file the browser saves under `filename`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
