import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from partners.models import Partner

from ..conftest import GENERATION_READ
from ..factories import make_partner, make_topic, region

pytestmark = pytest.mark.django_db

LIST_URL = reverse("partners:list")


def result_names(response):
    return [partner.name for partner in response.context["page_obj"].object_list]


class TestVisibility:
    def test_unpublished_partner_is_hidden_from_visitors_members_and_former_members(
        self, non_staff_client
    ):
        make_partner("Öffentlicher Partner")
        draft = make_partner("Geheimer Entwurf", is_published=False)

        list_response = non_staff_client.get(LIST_URL)
        assertContains(list_response, "Öffentlicher Partner")
        assertNotContains(list_response, "Geheimer Entwurf")
        assert list_response.context["page_obj"].paginator.count == 1
        assert non_staff_client.get(draft.get_absolute_url()).status_code == 404
        assert non_staff_client.get(reverse("partners:logo", args=[draft.slug])).status_code == 404

    def test_staff_preview_unpublished_partner_with_notice_but_list_stays_public(
        self, staff_client
    ):
        draft = make_partner("Geheimer Entwurf", is_published=False)

        response = staff_client.get(draft.get_absolute_url())
        assertContains(response, "Vorschau")
        assertNotContains(staff_client.get(LIST_URL), "Geheimer Entwurf")

    def test_unpublished_parent_and_children_are_not_shown(self, non_staff_client):
        hidden_parent = make_partner("Verborgene Dachorganisation", is_published=False)
        partner = make_partner("Sichtbarer Partner", parent=hidden_parent)
        make_partner("Verborgene Untergliederung", parent=partner, is_published=False)
        make_partner("Sichtbare Untergliederung", parent=partner)

        response = non_staff_client.get(partner.get_absolute_url())
        assertNotContains(response, "Verborgene Dachorganisation")
        assertNotContains(response, "Verborgene Untergliederung")
        assertContains(response, "Sichtbare Untergliederung")

    def test_home_counts_only_published_partners(self, non_staff_client):
        make_partner()
        make_partner(is_published=False)
        page = non_staff_client.get("/").content.decode()
        assert "1 Partner auf kommunaler" in page


class TestDetail:
    def test_shows_description_contact_parent_and_children(self, client):
        ministry = make_partner("Sozialministerium", kind=Partner.Kind.AUTHORITY)
        unit = make_partner(
            "Stabsstelle Strategische Sozialplanung",
            parent=ministry,
            cooperation="Erster Absatz.\n\nZweiter Absatz.",
            email="stabsstelle@example.org",
            phone="0361 123 456",
            street="Werner-Seelenbinder-Straße 6",
            postal_code="99096",
            city="Erfurt",
            region=region("erfurt"),
        )
        make_partner("Referat Sozialplanung", parent=unit)

        response = client.get(unit.get_absolute_url())
        assertContains(response, "<p>Erster Absatz.</p>", html=True)
        assertContains(response, "mailto:stabsstelle@example.org")
        assertContains(response, "tel:0361123456")
        assertContains(response, "99096 Erfurt")
        assertContains(response, f'href="{ministry.get_absolute_url()}"')
        assertContains(response, "Referat Sozialplanung")
        assertContains(response, f'href="{LIST_URL}?region=erfurt"')

    def test_unknown_slug_is_a_german_404(self, client):
        response = client.get("/partner/gibt-es-nicht/")
        assertContains(response, "Diese Seite gibt es nicht", status_code=404)

    def test_partner_without_logo_has_no_logo_url(self, client):
        partner = make_partner()
        assert client.get(reverse("partners:logo", args=[partner.slug])).status_code == 404


class TestFilters:
    @pytest.fixture
    def network(self):
        care = make_topic("Zukunft der Pflege", slug="pflege")
        planning = make_topic("Kommunale Sozialplanung", slug="kommunale-sozialplanung")
        return {
            "awo": make_partner(
                "AWO Landesverband",
                short_name="AWO",
                kind=Partner.Kind.WELFARE_ASSOCIATION,
                topics=[care, planning],
            ),
            "erfurt": make_partner(
                "Stadtliga Erfurt",
                kind=Partner.Kind.LEAGUE,
                level=Partner.Level.MUNICIPAL,
                region=region("erfurt"),
                city="Erfurt",
                topics=[planning],
            ),
            "jena": make_partner(
                "Stadtliga Jena",
                kind=Partner.Kind.LEAGUE,
                level=Partner.Level.MUNICIPAL,
                region=region("jena"),
                topics=[care],
            ),
            "verein": make_partner(
                "Verein für Sozialplanung",
                level=Partner.Level.NATIONAL,
                region=region("bundesweit"),
            ),
        }

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("kind=liga", ["Stadtliga Erfurt", "Stadtliga Jena"]),
            ("level=bund", ["Verein für Sozialplanung"]),
            # A district: the partners based there, then the statewide ones (AWO).
            ("region=jena", ["Stadtliga Jena", "AWO Landesverband"]),
            ("region=bundesweit", ["Verein für Sozialplanung"]),
            ("topic=pflege", ["AWO Landesverband", "Stadtliga Jena"]),
            ("q=stadtliga", ["Stadtliga Erfurt", "Stadtliga Jena"]),
            ("q=AWO", ["AWO Landesverband"]),
            ("q=liga+jena", ["Stadtliga Jena"]),
            ("kind=liga&topic=kommunale-sozialplanung", ["Stadtliga Erfurt"]),
            ("kind=liga&region=erfurt&level=kommunal&q=Erfurt", ["Stadtliga Erfurt"]),
            ("kind=liga&level=bund", []),
        ],
    )
    def test_each_filter_and_combination_narrows_the_list(self, client, network, query, expected):
        response = client.get(f"{LIST_URL}?{query}")
        assert response.status_code == 200
        assert result_names(response) == expected
        assert not response.context["filter"].form.errors

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("kind=raumschiff", "kind"),
            ("level=galaktisch", "level"),
            ("region=atlantis", "region"),
            ("topic=%3Cscript%3E", "topic"),
            ("q=" + "x" * 5000, "q"),
        ],
    )
    def test_invalid_value_is_a_german_form_error_not_a_500(self, client, network, query, field):
        response = client.get(f"{LIST_URL}?{query}")
        assert response.status_code == 200
        errors = response.context["filter"].form.errors
        assert list(errors) == [field]
        assertContains(response, "Einige Angaben konnten nicht verwendet werden")
        # The invalid filter is ignored, the rest of the directory stays usable.
        assert len(result_names(response)) == 4

    def test_invalid_value_keeps_the_valid_filters(self, client, network):
        response = client.get(f"{LIST_URL}?kind=liga&region=atlantis")
        assert result_names(response) == ["Stadtliga Erfurt", "Stadtliga Jena"]
        assertContains(response, "Bitte eine gültige Auswahl treffen")

    def test_markup_in_search_is_escaped(self, client, network):
        response = client.get(LIST_URL, {"q": '"><script>alert(1)</script>'})
        assertNotContains(response, "<script>alert(1)</script>")
        assertContains(response, "&lt;script&gt;")


class TestPagination:
    @pytest.fixture
    def many_partners(self):
        return [make_partner(f"Partner {number:02}") for number in range(1, 46)]

    @pytest.mark.parametrize(
        ("page", "expected_page"),
        [("1", 1), ("2", 2), ("3", 3), ("abc", 1), ("0", 3), ("-1", 3), ("99999", 3), ("", 1)],
    )
    def test_any_page_value_shows_a_page(self, client, many_partners, page, expected_page):
        response = client.get(LIST_URL, {"page": page})
        assert response.status_code == 200
        assert response.context["page_obj"].number == expected_page

    def test_pages_are_stable_and_complete(self, client, many_partners):
        seen = []
        for page in (1, 2, 3):
            seen += result_names(client.get(LIST_URL, {"page": page}))
        assert seen == sorted(partner.name for partner in many_partners)

    def test_page_links_keep_the_filters(self, client, many_partners):
        response = client.get(LIST_URL, {"level": "land", "page": 2})
        assertContains(response, 'href="?level=land&amp;page=3#ergebnisse"')


class TestWorkingDistricts:
    """A partner's page names the districts it works in: its seat's and its Tätigkeitsgebiet,
    in German order."""

    def test_seat_and_districts_in_german_order(self, client):
        partner = make_partner(region=region("suhl"))
        partner.districts.set([region("soemmerda"), region("altenburger-land")])
        response = client.get(partner.get_absolute_url())
        facts = response.content.decode()
        names = ["Altenburger Land", "Sömmerda", "Suhl"]
        listed = facts[facts.index("Tätig in") : facts.index("</dd>", facts.index("Tätig in"))]
        assert [name for name in names if name in listed] == names
        assert listed.index("Altenburger Land") < listed.index("Sömmerda") < listed.index("Suhl")
        assertContains(response, '<a href="/partner/?region=soemmerda">Sömmerda</a>')

    def test_a_planning_community_lists_its_planning_region(self, client):
        community = make_partner(
            "Regionale Planungsgemeinschaft Nordthüringen",
            kind=Partner.Kind.PLANNING_COMMUNITY,
            region=region("nordhausen"),
        )
        community.districts.set(community.default_districts())
        content = client.get(community.get_absolute_url()).content.decode()
        listed = content[
            content.index("Tätig in") : content.index("</dd>", content.index("Tätig in"))
        ]
        for name in ("Eichsfeld", "Kyffhäuserkreis", "Nordhausen", "Unstrut-Hainich-Kreis"):
            assert f">{name}</a>" in listed
        assert "Erfurt" not in listed

    def test_a_statewide_partner_works_in_all_of_thueringen(self, client):
        partner = make_partner()
        assertContains(client.get(partner.get_absolute_url()), "In ganz Thüringen")


class TestQueryCounts:
    """Pages must not issue a query per partner: the count is the same for 5 and 100 partners."""

    def build(self, number):
        topics = [make_topic() for _ in range(3)]
        parent = make_partner()
        for _ in range(number):
            make_partner(topics=topics, parent=parent)
        return parent

    @pytest.mark.parametrize("number", [5, 100])
    def test_list_page(self, client, django_assert_num_queries, number):
        self.build(number)
        with django_assert_num_queries(7 + GENERATION_READ):
            # Regions and topics for the form, the count, one page, its topics; the map's
            # regions with their counts; the licence of the downloads.
            client.get(LIST_URL, {"topic": "", "kind": "fachverband"})

    @pytest.mark.parametrize("number", [5, 100])
    def test_detail_page(self, client, django_assert_num_queries, number):
        parent = self.build(number)
        with django_assert_num_queries(5 + GENERATION_READ):
            # The partner with region and parent, its topics, its children, its news, the
            # districts it works in (the glossary's terms only with a text on the cooperation).
            client.get(parent.get_absolute_url())
