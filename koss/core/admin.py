"""Admin pieces every app's admin uses: the rich-text editor under the CSP, file links that
lead to the permission-checked views, German slugs, lookups that list the best match first."""

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _
from js_asset.media import Media

from .slugs import slugify_german


class ProseEditorAdminMixin:
    """The rich-text editor under the Content-Security-Policy.

    It loads through an inline import map, admitted by the request's nonce, and injects its own
    small stylesheet and style attributes, which these staff-only forms admit (scripts stay
    strict). Our own stylesheet follows the editor's and mends what the system fonts lack.
    """

    def render_change_form(self, request, context, *args, **kwargs):
        ours = ["django_prose_editor/editor.css", "koss/admin/prose-editor.css"]
        media = context["media"] + forms.Media(css={"all": ours})
        context["media"] = Media.from_media(media, nonce=request.csp_nonce)
        response = super().render_change_form(request, context, *args, **kwargs)
        response._csp_update = {
            "style-src-elem": ["'self'", "'unsafe-inline'"],
            "style-src-attr": ["'unsafe-inline'"],
        }
        return response


class LinkedFile:
    """What the file widget shows: the file's name, linked to `url`."""

    def __init__(self, name, url):
        self.name = name
        self.url = url

    def __str__(self):
        return self.name


class CheckedFileInput(AdminFileWidget):
    """Links the current file to a view that checks permission: media is never served directly.

    `url` gets the field's file (which knows its model instance) and returns that view's address.
    """

    def __init__(self, url, attrs=None):
        super().__init__(attrs)
        self.url = url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value) and value.instance.pk:
            context["widget"]["value"] = LinkedFile(value.name, self.url(value))
        return context


class CheckedFileLinksMixin:
    """For a ModelAdmin or inline: `file_urls` maps file fields to the address of their view."""

    file_urls = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.file_urls:
            kwargs["widget"] = CheckedFileInput(self.file_urls[db_field.name])
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class GermanSlugAdminMixin:
    """A prepopulated slug left empty is made from its source fields on the server, in German.

    In the browser, templates/admin/prepopulated_fields_js.html fills it in as the name is
    typed; without JavaScript, staff leave it empty.
    """

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        sources = {
            name: fields
            for name, fields in self.get_prepopulated_fields(request, obj).items()
            if name in form.base_fields
        }
        if not sources:
            return form
        return type(form.__name__, (SlugFromSourcesForm, form), {"slug_sources": sources})


class SlugFromSourcesForm:
    slug_sources = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, sources in self.slug_sources.items():
            field = self.fields[name]
            field.required = False
            labels = ", ".join(str(self.fields[source].label) for source in sources)
            hint = _("Bleibt das Feld leer, wird es aus „%(fields)s“ gebildet.") % {
                "fields": labels
            }
            field.help_text = f"{field.help_text} {hint}" if field.help_text else hint

    def clean(self):
        cleaned_data = super().clean()
        for name, sources in self.slug_sources.items():
            if not cleaned_data.get(name) and name not in self.errors:
                text = " ".join(str(cleaned_data.get(source) or "") for source in sources)
                cleaned_data[name] = slugify_german(text)[: self.fields[name].max_length]
                if not cleaned_data[name]:
                    self.add_error(name, _("Bitte geben Sie einen Kurznamen für die Adresse ein."))
        return cleaned_data


class RelevantSearchResultsMixin:
    """Autocomplete lookups list the exact match first, then what begins with the search term,
    then the rest, each in the admin's usual order: typing "LIGA der" and Enter picks the LIGA,
    not the first of the associations whose description mentions it.

    Relevance is judged on `relevance_fields`; by default the search fields that are short text
    fields of the model itself (names, short names), never long descriptions.
    """

    relevance_fields = None

    def get_relevance_fields(self):
        if self.relevance_fields is not None:
            return self.relevance_fields
        names = []
        for search_field in self.search_fields:
            name = search_field.lstrip("^=@")
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, models.CharField):
                names.append(name)
        return names

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        fields = self.get_relevance_fields()
        # The changelist orders by its columns afterwards; only the lookups are ranked here.
        if not term or not fields or not _is_autocomplete(request):
            return queryset, may_have_duplicates
        exact, prefix = Q(), Q()
        for name in fields:
            exact |= Q(**{f"{name}__iexact": term})
            prefix |= Q(**{f"{name}__istartswith": term})
        relevance = Case(When(exact, then=Value(0)), When(prefix, then=Value(1)), default=Value(2))
        ordering = self.get_ordering(request) or self.model._meta.ordering
        queryset = queryset.annotate(search_relevance=relevance).order_by(
            "search_relevance", *ordering, "pk"
        )
        return queryset, may_have_duplicates


def _is_autocomplete(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"
