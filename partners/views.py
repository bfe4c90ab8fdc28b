from functools import cache, partial

from django.shortcuts import get_object_or_404, render

from koss.core.cache import KeptCountPaginator, filter_query, public_page
from koss.core.files import image_response
from koss.core.querysets import has_staff_rights

from .filters import PartnerFilter
from .map import partner_map
from .models import Partner

PARTNERS_PER_PAGE = 20


@public_page
def partner_list(request):
    filterset = PartnerFilter(
        request.GET,
        queryset=Partner.objects.published()
        .select_related("region")
        .prefetch_related("topics")
        .defer("search_vector"),
    )
    # get_page() turns a missing or malformed page number into the first page and one past the
    # end into the last page, so a stale shared link still shows results.
    query = filter_query(request)
    page = KeptCountPaginator(filterset.qs, PARTNERS_PER_PAGE, vary=["partners", query]).get_page(
        request.GET.get("page")
    )
    current_region = filterset.form.cleaned_data.get("region") if filterset.is_bound else None
    return render(
        request,
        "partners/partner_list.html",
        {
            "filter": filterset,
            "filter_query": query,
            "page_obj": page,
            "is_filtered": filterset.form.has_changed(),
            # Computed only when the map is not among the kept parts of pages.
            "map": cache(partial(partner_map, current_region)),
        },
    )


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
        },
    )


def partner_logo(request, slug):
    partner = get_object_or_404(Partner.objects.visible_to(request.user), slug=slug)
    return image_response(partner.logo, public=partner.is_published)
