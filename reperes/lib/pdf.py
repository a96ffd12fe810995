"""PDF rendering with WeasyPrint, imported lazily: `make run` needs no system library, and a
missing one gets a French message saying exactly what to install."""

from django.conf import settings

MISSING_LIBRARIES = (
    "L'export PDF a besoin des bibliothèques Pango et HarfBuzz. Sur Debian ou Ubuntu : "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
)


class PdfUnavailable(Exception):
    pass


def html_to_pdf(html, *, base_url=None):
    try:
        from weasyprint import HTML
    except OSError as error:  # WeasyPrint is installed but the system libraries are not
        raise PdfUnavailable(MISSING_LIBRARIES) from error
    return HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf()
