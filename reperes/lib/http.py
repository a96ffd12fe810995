"""Request helpers."""

import ipaddress
import re

from django.conf import settings
from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def client_ip(request):
    """The visitor's address, for throttling only (never stored with answers); an IPv6 address
    is reduced to its /64, which one home or server connection usually holds whole, so that
    rotating addresses inside it counts as one visitor.

    Behind our own TLS proxy (BEHIND_TLS_PROXY), the last X-Forwarded-For entry is the one the
    proxy added; earlier entries come from the client and cannot be trusted.
    """
    address = request.META.get("REMOTE_ADDR")
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = forwarded.rsplit(",", 1)[-1].strip()
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def safe_filename(filename):
    """A file name that can go as it is into a Content-Disposition header: ASCII letters,
    digits, dots, dashes and underscores only (callers slugify what users typed; this holds if
    one forgets)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", str(filename)).strip(".-")[:200]
    return cleaned or "document"


def download(content, *, filename, content_type):
    """A file the browser saves under `filename` (cleaned by safe_filename)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    return response
