from functools import cache, partial
from itertools import groupby
from operator import attrgetter

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.encoding import iri_to_uri
from django.utils.translation import ngettext

from koss.core.cache import KeptCountPaginator, filter_query, public_page
from koss.core.files import image_response
from koss.core.querysets import has_staff_rights

from .filters import PartnerFilter
from .map import partner_map
from .models import OpenDataLicence, Partner
from .opendata import partners_csv, partners_geojson

PARTNERS_PER_PAGE = 20


def coverage_heading(coverage, count, district):
    """The heading of a group of partners in a district's list, e.g. "11 Partner sind in ganz
    Thüringen tätig"."""
    if coverage == Partner.Coverage.BASED:
        text = ngettext(
            "%(count)d Partner hat seinen Sitz %(where)s",
            "%(count)d Partner haben ihren Sitz %(where)s",
            count,
        )
    elif coverage == Partner.Coverage.ACTIVE:
        text = ngettext(
            "%(count)d Partner mit Sitz anderswo ist auch %(where)s tätig",
            "%(count)d Partner mit Sitz anderswo sind auch %(where)s tätig",
            count,
        )
    else:
        text = ngettext(
            "%(count)d Partner ist in ganz Thüringen tätig",
            "%(count)d Partner sind in ganz Thüringen tätig",
            count,
        )
    return text % {"count": count, "where": district.in_name}


def directory_filterset(request):
    """The directory's filters over the published partners: the list and its downloads."""
    return PartnerFilter(
        request.GET,
        queryset=Partner.objects.published()
        .select_related("region")
        .prefetch_related("topics")
        .defer("search_vector"),
    )


@public_page(query=[*PartnerFilter.base_filters, "page"])
def partner_list(request):
    filterset = directory_filterset(request)
    # get_page() turns a missing or malformed page number into the first page and one past the
    # end into the last page, so a stale shared link still shows results.
    query = filter_query(request)
    page = KeptCountPaginator(filterset.qs, PARTNERS_PER_PAGE, vary=["partners", query]).get_page(
        request.GET.get("page")
    )
    current_region = filterset.form.cleaned_data.get("region") if filterset.is_bound else None
    district = current_region if current_region is not None and current_region.is_district else None

    # Read only when the results are not among the kept parts of pages.
    @cache
    def coverage_groups():
        """The page's partners under how they work in the district, with each group's total."""
        groups = []
        for coverage, partners in groupby(page.object_list, key=attrgetter("coverage")):
            partners = list(partners)
            total = partners[0].coverage_total
            groups.append(
                {
                    "coverage": coverage,
                    "heading": coverage_heading(coverage, total, district),
                    "partners": partners,
                }
            )
        return groups

    return render(
        request,
        "partners/partner_list.html",
        {
            "filter": filterset,
            "filter_query": query,
            "page_obj": page,
            "is_filtered": filterset.form.has_changed(),
            "coverage_groups": coverage_groups if district else None,
            # Computed only when the map is not among the kept parts of pages.
            "map": cache(partial(partner_map, current_region)),
            "licence": cache(OpenDataLicence.current),
        },
    )


@public_page(query=list(PartnerFilter.base_filters))
def partner_csv(request):
    """The filtered directory as a table for spreadsheets."""
    partners = directory_filterset(request).qs
    response = HttpResponse(partners_csv(partners), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="partnernetzwerk.csv"'
    return with_licence_link(response, OpenDataLicence.current())


@public_page(query=list(PartnerFilter.base_filters))
def partner_geojson(request):
    """The filtered directory as geodata (RFC 7946)."""
    partners = directory_filterset(request).qs
    licence = OpenDataLicence.current()
    response = JsonResponse(
        partners_geojson(partners, licence),
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Disposition"] = 'attachment; filename="partnernetzwerk.geojson"'
    return with_licence_link(response, licence)


def with_licence_link(response, licence):
    if licence.url:
        response["Link"] = f'<{iri_to_uri(licence.url)}>; rel="license"'
    return response


@public_page
def partner_detail(request, slug):
    preview = has_staff_rights(request.user)
    partner = get_object_or_404(
        Partner.objects.visible_to(request.user).select_related("region", "parent"), slug=slug
    )
    parent = partner.parent
    if parent is not None and not (parent.is_published or preview):
        parent = None
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "preview": preview,
            "parent": parent,
            "children": partner.children.visible_to(request.user).select_related("region"),
            "districts": partner.working_districts(),
        },
    )


def partner_logo(request, slug):
    partner = get_object_or_404(Partner.objects.visible_to(request.user), slug=slug)
    return image_response(partner.logo, public=partner.is_published)
