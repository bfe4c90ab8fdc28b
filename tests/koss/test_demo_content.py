import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from partners.models import Partner, Topic

pytestmark = pytest.mark.django_db


def counts():
    return (Partner.objects.count(), Topic.objects.count(), get_user_model().objects.count())


def test_demo_content_loads_the_real_network_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("load_demo_content", verbosity=0)
    first = counts()
    call_command("load_demo_content", verbosity=0)
    assert counts() == first

    assert Partner.objects.published().count() >= 20
    for slug in [
        "liga-thueringen",
        "stabsstelle-strategische-sozialplanung",
        "akademie-laendlicher-raum",
        "rpg-suedwestthueringen",
        "deutscher-verein",
        "verein-fuer-sozialplanung",
        "thasg",
        "ikpe",
    ]:
        assert Partner.objects.published().filter(slug=slug).exists(), slug
    unit = Partner.objects.get(slug="stabsstelle-strategische-sozialplanung")
    assert unit.parent.slug == "tmasgff"
    # Invented entries say so in their name.
    for league in Partner.objects.filter(kind=Partner.Kind.LEAGUE):
        assert "(Demo)" in league.name


def test_demo_accounts_can_log_in_and_only_the_editor_is_staff(settings):
    settings.DEBUG = True
    call_command("load_demo_content", verbosity=0)
    editor = authenticate(username="redaktion@example.org", password="demo-koss-2014")
    member = authenticate(username="mitglied@example.org", password="demo-koss-2014")
    former = authenticate(username="ehemalig@example.org", password="demo-koss-2014")
    assert editor.is_staff and editor.has_perm("partners.change_partner")
    assert not editor.is_superuser
    assert not member.is_staff and not former.is_staff


def test_demo_content_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo_content", verbosity=0)
    assert counts() == (0, 0, 0)


def test_demo_content_runs_without_debug_when_forced(settings):
    settings.DEBUG = False
    call_command("load_demo_content", "--force", verbosity=0)
    assert Partner.objects.count() >= 20
