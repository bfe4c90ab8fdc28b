"""The revision history of content (django-reversion): who changed what and when; staff compare two
versions and restore one, or recover a deleted object, in the admin.

A ModelAdmin that derives from `HistoryAdmin` records every save of its model, with the reverse
relations named in `history_follow` (a meeting's agenda items, an article's attachments) as one
revision: restoring it brings the object and that list back together. Changes made past a form
(admin actions that update rows) join the history through `record_history()`.
"""

import difflib
import html
import re
from datetime import timedelta

import nh3
import reversion
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from reversion.admin import VersionAdmin
from reversion.models import Revision, Version

from .richtext import RichTextField

# Kept up to date by every save or by a background task, never edited: not part of a version
# (a restored version gets its image renditions made anew).
NOT_RECORDED = ("search_vector", "search_stems", "image_renditions")


def register_history(model, follow=()):
    """Record `model` with the reverse relations in `follow` (their models are recorded too)."""
    for name in follow:
        related = model._meta.get_field(name).related_model
        if not reversion.is_registered(related):
            reversion.register(related, exclude=_not_recorded(related))
    if not reversion.is_registered(model):
        reversion.register(model, follow=tuple(follow), exclude=_not_recorded(model))


def _not_recorded(model):
    names = {field.name for field in model._meta.get_fields()}
    return tuple(name for name in NOT_RECORDED if name in names)


def record_history(objects, user, comment):
    """Add objects changed outside a form (by `update()` or `bulk_update()`) to the history, in
    the revision of the request when there is one, else in a revision of their own."""
    objects = [obj for obj in objects if reversion.is_registered(type(obj))]
    if not objects:
        return
    if reversion.is_active():
        for obj in objects:
            reversion.add_to_revision(obj)
        reversion.set_comment(str(comment))
        return
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(str(comment))
        for obj in objects:
            reversion.add_to_revision(obj)


def prune_history(now=None):
    """Delete revisions older than `KOSS_HISTORY_DAYS`; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.KOSS_HISTORY_DAYS)
    old = Revision.objects.filter(date_created__lt=cutoff)
    count = old.count()
    old.delete()
    return count


# --- Comparing two versions ---------------------------------------------------------------------

_BLOCK_END = re.compile(r"</(p|li|h\d|blockquote)>|<br\s*/?>", re.IGNORECASE)


def readable_text(value, rich):
    """Rich text as the words a reader sees, one block a line; other text as it is."""
    value = "" if value is None else str(value)
    if not rich:
        return value
    text = nh3.clean(_BLOCK_END.sub("\n", value), tags=set())
    return "\n".join(line.strip() for line in html.unescape(text).splitlines() if line.strip())


def text_difference(old, new):
    """What changed between two texts, line by line: unchanged lines shrink to "…", in changed
    ones the words removed are marked `<del>`, those added `<ins>` (all escaped)."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            parts.append(format_html("{}", "…"))
        else:
            parts.append(_word_difference("\n".join(old_lines[a1:a2]), "\n".join(new_lines[b1:b2])))
    return format_html_join("\n", "{}", ((part,) for part in parts))


def _word_difference(old, new):
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            parts.append(("{}", "".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(("<del>{}</del>", "".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(("<ins>{}</ins>", "".join(new_words[b1:b2])))
    return format_html_join("", "{}", ((format_html(pattern, text),) for pattern, text in parts))


class _Display:
    """What a recorded value reads as: choices by their label, relations by their name."""

    def __init__(self, model, versions):
        self.names = {}
        for field in model._meta.get_fields():
            if not field.is_relation or not field.concrete:
                continue
            pks = set()
            for version in versions:
                value = version.field_dict.get(
                    field.attname if not field.many_to_many else field.name
                )
                pks.update(value if field.many_to_many else [value] if value is not None else [])
            related = field.related_model._base_manager.filter(pk__in=pks)
            self.names[field.name] = {obj.pk: str(obj) for obj in related}

    def __call__(self, field, value):
        if value is None or value == "" or value == []:
            return "–"
        if field.many_to_many:
            names = self.names[field.name]
            return ", ".join(sorted(names.get(pk, _("gelöscht (%s)") % pk) for pk in value))
        if field.is_relation:
            return self.names[field.name].get(value, _("gelöscht (%s)") % value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("ja") if value else _("nein")
        if isinstance(field, models.FileField):
            return str(value)
        return str(value)


def compare_versions(model, older, newer, follow=()):
    """Rows of (label, older value, newer value, difference or None) for every recorded field and
    every followed list; the difference is set where the two differ."""
    display = _Display(model, [older, newer])
    rows = []
    old_fields, new_fields = older.field_dict, newer.field_dict
    for field in model._meta.get_fields():
        if not field.concrete or field.auto_created or not field.editable:
            continue
        key = field.name if field.many_to_many else field.attname
        if key not in old_fields and key not in new_fields:
            continue
        old_value, new_value = old_fields.get(key), new_fields.get(key)
        rich = isinstance(field, RichTextField)
        if rich:
            old_text, new_text = readable_text(old_value, True), readable_text(new_value, True)
        else:
            old_text, new_text = display(field, old_value), display(field, new_value)
        changed = old_value != new_value
        difference = text_difference(old_text, new_text) if changed else None
        rows.append((field.verbose_name, old_text, new_text, difference))
    for name in follow:
        relation = model._meta.get_field(name)
        old_text = "\n".join(_followed(older, relation))
        new_text = "\n".join(_followed(newer, relation))
        difference = text_difference(old_text, new_text) if old_text != new_text else None
        rows.append(
            (relation.related_model._meta.verbose_name_plural, old_text, new_text, difference)
        )
    return rows


def _followed(version, relation):
    """The names of the related objects a revision holds for `version`'s object."""
    field = relation.field
    related = version.revision.version_set.filter(
        content_type__app_label=relation.related_model._meta.app_label,
        content_type__model=relation.related_model._meta.model_name,
    )
    return sorted(
        item.object_repr
        for item in related
        if str(item.field_dict.get(field.attname)) == str(version.object_id)
    )


class HistoryAdmin(VersionAdmin):
    """A ModelAdmin whose saves are recorded, with views to compare and restore versions and to
    recover deleted objects (all under /verwaltung/, so behind the second factor)."""

    history_follow = ()
    # Fields that are no content (a login, the record of visits): a restore leaves them as they
    # are. (Fields left out of a version would be reset to their defaults by reversion.)
    history_keep = ()
    history_latest_first = True
    object_history_template = "history/object_history.html"

    def __init__(self, model, admin_site):
        register_history(model, self.history_follow)
        super().__init__(model, admin_site)

    def _reversion_revisionform_view(self, request, version, *args, **kwargs):
        if self.history_keep:
            request.koss_history_kept = (
                self.model._base_manager.filter(pk=version.object_id)
                .values(*self.history_keep)
                .first()
            )
        return super()._reversion_revisionform_view(request, version, *args, **kwargs)

    def changeform_view(self, request, object_id=None, *args, **kwargs):
        # Inside a restore, the version is written back; the kept fields regain today's values.
        kept = getattr(request, "koss_history_kept", None)
        if kept and object_id is not None:
            self.model._base_manager.filter(pk=unquote(object_id)).update(**kept)
        return super().changeform_view(request, object_id, *args, **kwargs)

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        return [compare, *super().get_urls()]

    def history_view(self, request, object_id, extra_context=None):
        info = self.model._meta.app_label, self.model._meta.model_name
        object_id = unquote(object_id)
        versions = self._reversion_order_version_queryset(
            request,
            Version.objects.get_for_object_reference(self.model, object_id).select_related(
                "revision__user"
            ),
        )
        revision_url = f"{self.admin_site.name}:%s_%s_revision" % info
        context = {
            "compare_url": reverse(
                f"{self.admin_site.name}:%s_%s_compare" % info, args=[quote(object_id)]
            ),
            "action_list": [
                {
                    "version": version,
                    "revision": version.revision,
                    "url": reverse(revision_url, args=[quote(object_id), version.pk]),
                }
                for version in versions
            ],
        }
        return super().history_view(request, quote(object_id), {**context, **(extra_context or {})})

    def compare_view(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        versions = Version.objects.get_for_object_reference(self.model, object_id)
        chosen = [request.GET.get("a", ""), request.GET.get("b", "")]
        found = {
            version.pk: version
            for version in versions.select_related("revision__user").filter(
                pk__in=[value for value in chosen if value.isdigit()]
            )
        }
        info = self.model._meta.app_label, self.model._meta.model_name
        history = reverse(f"{self.admin_site.name}:%s_%s_history" % info, args=[quote(object_id)])
        if len(found) != 2:
            messages.warning(request, _("Bitte wählen Sie zwei verschiedene Fassungen aus."))
            return redirect(history)
        older, newer = sorted(found.values(), key=lambda v: (v.revision.date_created, v.pk))
        rows = compare_versions(self.model, older, newer, self.history_follow)
        revision_url = f"{self.admin_site.name}:%s_%s_revision" % info
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Fassungen von „%s“ vergleichen") % newer.object_repr,
            "object_id": object_id,
            "history_url": history,
            "older": older,
            "newer": newer,
            "older_url": reverse(revision_url, args=[quote(object_id), older.pk]),
            "newer_url": reverse(revision_url, args=[quote(object_id), newer.pk]),
            "changed": [row for row in rows if row[3] is not None],
            "unchanged": [row[0] for row in rows if row[3] is None],
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "history/compare.html", context)
