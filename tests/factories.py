"""Small factory functions: each makes one valid object, overridable by keyword."""

import importlib
from itertools import count

from django.apps import apps
from django.contrib.auth import get_user_model

from partners.models import Partner, Region, Topic

_sequence = count(1)


def make_user(email=None, password="correct-horse-battery", **fields):
    email = email or f"person{next(_sequence)}@example.org"
    user = get_user_model().objects.create_user(
        username=email, email=email, password=password, **fields
    )
    return user


def region(slug="erfurt"):
    """Regions come from a data migration; tests use the real ones.

    Transactional tests (the browser tests) flush the database afterwards, so the migration's
    loader runs again when they are gone.
    """
    if not Region.objects.filter(slug=slug).exists():
        importlib.import_module("partners.migrations.0002_regions").create_regions(apps, None)
    return Region.objects.get(slug=slug)


def make_topic(name=None, **fields):
    number = next(_sequence)
    name = name or f"Thema {number}"
    fields.setdefault("slug", f"thema-{number}")
    return Topic.objects.create(name=name, **fields)


def make_partner(name=None, topics=(), **fields):
    number = next(_sequence)
    name = name or f"Partner {number}"
    fields.setdefault("slug", f"partner-{number}")
    fields.setdefault("kind", Partner.Kind.ASSOCIATION)
    fields.setdefault("level", Partner.Level.STATE)
    fields.setdefault("summary", f"Kurzbeschreibung von {name}.")
    fields.setdefault("is_published", True)
    if "region" not in fields:
        fields["region"] = region("thueringen")
    partner = Partner.objects.create(name=name, **fields)
    if topics:
        partner.topics.set(topics)
    return partner


def make_article(title=None, partners=(), **fields):
    from django.utils import timezone

    from news.models import Article

    number = next(_sequence)
    title = title or f"Beitrag {number}"
    fields.setdefault("slug", f"beitrag-{number}")
    fields.setdefault("teaser", f"Anreißer von {title}.")
    fields.setdefault("body", f"<p>Text von {title}.</p>")
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("publish_at", timezone.now() - timezone.timedelta(hours=1))
    article = Article.objects.create(title=title, **fields)
    if partners:
        article.related_partners.set(partners)
    return article
