from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koss.core.choices import choice_display
from koss.core.collation import GERMAN
from koss.core.files import UploadTo
from koss.core.links import public_url
from koss.core.models import Searchable
from koss.core.querysets import PublishableQuerySet
from koss.core.validators import validate_image_upload


class PlanningRegion(models.TextChoices):
    """Thüringen's four regional planning communities (Regionale Planungsgemeinschaften)."""

    NORD = "nord", _("Nordthüringen")
    MITTE = "mitte", _("Mittelthüringen")
    OST = "ost", _("Ostthüringen")
    SUEDWEST = "suedwest", _("Südwestthüringen")


class RegionQuerySet(models.QuerySet):
    def in_display_order(self):
        """Districts alphabetically, then the statewide and nationwide scopes."""
        return self.order_by(
            models.Case(
                models.When(kind__in=[Region.Kind.STATEWIDE, Region.Kind.NATIONWIDE], then=1),
                default=0,
            ),
            "name",
        )

    def districts(self):
        return self.filter(kind__in=Region.DISTRICT_KINDS)

    def with_partner_counts(self):
        """Each region with `based`, its published partners with their seat there, and `active`,
        those and the published partners working there from a seat elsewhere (statewide ones
        not included). One query, whatever the number of partners."""
        based = (
            Partner.objects.published()
            .filter(region=OuterRef("pk"))
            .order_by()
            .values("region")
            .annotate(count=Count("pk"))
            .values("count")
        )
        from_elsewhere = (
            Partner.districts.through.objects.filter(
                region=OuterRef("pk"), partner__is_published=True
            )
            .exclude(partner__region=OuterRef("pk"))
            .values("region")
            .annotate(count=Count("pk"))
            .values("count")
        )
        based_count = Coalesce(Subquery(based), 0)
        return self.annotate(
            based=based_count, active=based_count + Coalesce(Subquery(from_elsewhere), 0)
        )


class Region(models.Model):
    """A district of Thüringen, or the statewide / nationwide scope of a partner."""

    class Kind(models.TextChoices):
        LANDKREIS = "landkreis", _("Landkreis")
        KREISFREIE_STADT = "stadt", _("Kreisfreie Stadt")
        STATEWIDE = "land", _("Thüringenweit")
        NATIONWIDE = "bund", _("Bundesweit")

    DISTRICT_KINDS = [Kind.LANDKREIS, Kind.KREISFREIE_STADT]

    name = models.CharField(_("Name"), max_length=100, unique=True, db_collation=GERMAN)
    slug = models.SlugField(
        _("Kurzname in der Adresse"),
        max_length=100,
        unique=True,
        help_text=_("Steht in geteilten Filter-Adressen, z. B. /partner/?region=erfurt."),
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind)
    ags = models.CharField(
        _("Kreisschlüssel"),
        max_length=5,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Amtlicher Gemeindeschlüssel des Kreises (z. B. 16051 für Erfurt)."),
    )
    planning_region = models.CharField(
        _("Planungsregion"),
        max_length=20,
        choices=PlanningRegion,
        blank=True,
        help_text=_("Leer bei thüringen- und bundesweit."),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Region")
        verbose_name_plural = _("Regionen")
        # An expression here would break ordering by a partner's region (Django cannot prefix
        # the references of a Q inside When); in_display_order() groups the scopes last.
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_district(self):
        return self.kind in self.DISTRICT_KINDS

    @property
    def in_name(self):
        """The region as German names it after "in": "in Erfurt", "im Wartburgkreis", "im
        Landkreis Gotha", "in ganz Thüringen"."""
        if self.kind == self.Kind.LANDKREIS:
            if self.name.casefold().endswith("kreis"):
                return _("im %(name)s") % {"name": self.name}
            return _("im Landkreis %(name)s") % {"name": self.name}
        if self.kind == self.Kind.STATEWIDE:
            return _("in ganz Thüringen")
        if self.kind == self.Kind.NATIONWIDE:
            return _("bundesweit")
        return _("in %(name)s") % {"name": self.name}


class Topic(models.Model):
    """A topic KOSS works on with its partners, e.g. "Sozialraumorientierung"."""

    name = models.CharField(_("Name"), max_length=100, unique=True, db_collation=GERMAN)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=100, unique=True)
    search_stems = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerQuerySet(PublishableQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def active_in(self, district):
        """The partners working in a district: those with their seat there first, then those
        working there from a seat elsewhere, then the statewide ones; in name order within each
        group. Each partner is annotated with its group, `coverage` (Partner.Coverage), and the
        group's size, `coverage_total`, counted with the page's rows rather than separately."""
        covering = Partner.districts.through.objects.filter(region=district).values("partner")
        return (
            self.filter(
                Q(region=district) | Q(pk__in=covering) | Q(region__kind=Region.Kind.STATEWIDE)
            )
            .annotate(
                coverage=Case(
                    When(region=district, then=Value(Partner.Coverage.BASED)),
                    When(pk__in=covering, then=Value(Partner.Coverage.ACTIVE)),
                    default=Value(Partner.Coverage.STATEWIDE),
                )
            )
            .annotate(coverage_total=Window(Count("pk"), partition_by=F("coverage")))
            .order_by("coverage", "name", "pk")
        )


class Partner(Searchable):
    class Kind(models.TextChoices):
        WELFARE_ASSOCIATION = "wohlfahrtsverband", _("Wohlfahrtsverband")
        LEAGUE = "liga", _("Kreis- oder Stadtliga")
        AUTHORITY = "behoerde", _("Ministerium oder Behörde")
        PLANNING_COMMUNITY = "planungsgemeinschaft", _("Regionale Planungsgemeinschaft")
        ASSOCIATION = "fachverband", _("Verein oder Fachverband")
        RESEARCH = "forschung", _("Forschung und Wissenschaft")
        OTHER = "sonstige", _("Sonstige")

    class Level(models.TextChoices):
        MUNICIPAL = "kommunal", _("Kommunal")
        REGIONAL = "regional", _("Regional")
        STATE = "land", _("Land")
        NATIONAL = "bund", _("Bund")

    class Coverage(models.IntegerChoices):
        """How a partner works in a district, in the order the directory lists them."""

        BASED = 0, _("mit Sitz im Kreis")
        ACTIVE = 1, _("im Kreis tätig, Sitz anderswo")
        STATEWIDE = 2, _("thüringenweit tätig")

    name = models.CharField(_("Name"), max_length=200, unique=True, db_collation=GERMAN)
    short_name = models.CharField(
        _("Kurzname"),
        max_length=50,
        blank=True,
        help_text=_("Gebräuchliche Abkürzung, z. B. „AWO“ oder „TMASGFF“."),
    )
    slug = models.SlugField(
        _("Kurzname in der Adresse"),
        max_length=200,
        unique=True,
        help_text=_("Bestimmt die Adresse der Partnerseite (/partner/kurzname/)."),
    )
    kind = models.CharField(_("Art"), max_length=30, choices=Kind)
    level = models.CharField(_("Ebene"), max_length=20, choices=Level)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="partners",
        verbose_name=_("Region"),
        help_text=_("Der Kreis oder die kreisfreie Stadt; sonst thüringen- oder bundesweit."),
    )
    districts = models.ManyToManyField(
        Region,
        blank=True,
        related_name="active_partners",
        limit_choices_to={"kind__in": Region.DISTRICT_KINDS},
        verbose_name=_("Kreise des Tätigkeitsgebiets"),
        help_text=_(
            "Die Kreise und kreisfreien Städte, in denen der Partner außer an seinem Sitz tätig "
            "ist. Der Kreis des Sitzes zählt immer dazu, thüringenweite Partner zählen in jedem "
            "Kreis. Bleibt das Feld bei einer Planungsgemeinschaft leer, werden die Kreise ihrer "
            "Planungsregion eingetragen."
        ),
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="partners", verbose_name=_("Themen der Zusammenarbeit")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("Übergeordnete Organisation"),
        help_text=_("Z. B. das Ministerium einer Stabsstelle oder die LIGA einer Kreisliga."),
    )
    summary = models.CharField(
        _("Kurzbeschreibung"),
        max_length=300,
        help_text=_("Ein bis zwei Sätze für die Übersicht und Suchmaschinen."),
    )
    cooperation = models.TextField(
        _("Zusammenarbeit mit KOSS"),
        blank=True,
        help_text=_(
            "Wie KOSS mit dieser Organisation zusammenarbeitet. Leerzeilen trennen Absätze."
        ),
    )
    website = models.URLField(_("Website"), blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("Breitengrad der Adresse"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
        help_text=_(
            "Für die Geodaten des Partnernetzwerks (GeoJSON), z. B. 50.97806 für Erfurt. Ohne "
            "Angabe steht dort der Mittelpunkt des Kreises."
        ),
    )
    longitude = models.DecimalField(
        _("Längengrad der Adresse"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
        help_text=_("Z. B. 11.02888 für Erfurt; nur zusammen mit dem Breitengrad."),
    )
    logo = models.FileField(
        _("Logo"),
        upload_to=UploadTo("partners/logos/", "logo"),
        blank=True,
        validators=[validate_image_upload],
        help_text=_("PNG, JPEG oder WebP, höchstens 2 MB."),
    )
    logo_alt = models.CharField(
        _("Alternativtext des Logos"),
        max_length=200,
        blank=True,
        help_text=_("Was das Logo zeigt, für Menschen, die es nicht sehen, z. B. „Logo der AWO“."),
    )
    is_published = models.BooleanField(
        _("veröffentlicht"),
        default=False,
        help_text=_("Nur veröffentlichte Partner erscheinen auf der Website."),
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("Partner")
        verbose_name_plural = _("Partner")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True) | ~models.Q(parent=models.F("pk")),
                name="partner_not_own_parent",
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "name"]),
            models.Index(fields=["is_published", "region"]),
            models.Index(fields=["is_published", "kind", "name"]),
        ]

    get_kind_display = choice_display(Kind, "kind")
    get_level_display = choice_display(Level, "level")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partners:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.logo and not self.logo_alt:
            raise ValidationError(
                {"logo_alt": _("Bitte beschreiben Sie das Logo für Menschen, die es nicht sehen.")}
            )
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            raise ValidationError(
                {missing: _("Bitte geben Sie Breiten- und Längengrad zusammen an.")}
            )
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("Eine Organisation kann nicht sich selbst untergeordnet sein.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    @property
    def distinct_short_name(self):
        """The short name where it adds something to the name ("LIGA"), else ""."""
        return self.short_name if self.short_name and self.short_name not in self.name else ""

    @property
    def display_name(self):
        short_name = self.distinct_short_name
        return f"{self.name} ({short_name})" if short_name else self.name

    def working_districts(self):
        """The districts the partner works in: its seat's and those of its Tätigkeitsgebiet, in
        German alphabetical order (none for a statewide or nationwide seat without any)."""
        return (
            Region.objects.districts()
            .filter(Q(pk=self.region_id) | Q(active_partners=self))
            .distinct()
            .order_by("name")
        )

    def default_districts(self):
        """A planning community works in the districts of its planning region; other partners
        need no districts beyond their seat."""
        if self.kind == self.Kind.PLANNING_COMMUNITY and self.region.planning_region:
            return Region.objects.filter(planning_region=self.region.planning_region)
        return Region.objects.none()

    @property
    def has_address(self):
        return bool(self.street or self.postal_code or self.city)

    def structured_data(self):
        """schema.org's Organization, for the partner's page (JSON-LD)."""
        data = {
            "@type": "Organization",
            "name": self.name,
            "url": public_url(self.get_absolute_url()),
            "description": self.summary,
            "areaServed": self.region.name,
        }
        if self.distinct_short_name:
            data["alternateName"] = self.distinct_short_name
        if self.website:
            data["sameAs"] = [self.website]
        if self.email:
            data["email"] = self.email
        if self.phone:
            data["telephone"] = self.phone
        if self.has_address:
            data["address"] = {
                "@type": "PostalAddress",
                "streetAddress": self.street,
                "postalCode": self.postal_code,
                "addressLocality": self.city,
                "addressCountry": "DE",
            }
        if self.has_position:
            data["location"] = {
                "@type": "Place",
                "geo": {
                    "@type": "GeoCoordinates",
                    "latitude": float(self.latitude),
                    "longitude": float(self.longitude),
                },
            }
        if self.logo:
            data["logo"] = public_url(reverse("partners:logo", kwargs={"slug": self.slug}))
        if self.parent_id and self.parent.is_published:
            data["parentOrganization"] = {
                "@type": "Organization",
                "name": self.parent.name,
                "url": public_url(self.parent.get_absolute_url()),
            }
        return data

    @property
    def has_position(self):
        return self.latitude is not None and self.longitude is not None


class OpenDataLicence(models.Model):
    """The licence under which the partner network is offered as open data (CSV, GeoJSON). One
    at most; without it the default of the settings applies (`OpenDataLicence.current()`)."""

    name = models.CharField(
        _("Lizenz"),
        max_length=200,
        help_text=_("Name der Lizenz, z. B. „Datenlizenz Deutschland – Namensnennung – 2.0“."),
    )
    url = models.URLField(
        _("Adresse des Lizenztextes"),
        blank=True,
        help_text=_("Wo der Wortlaut der Lizenz steht: eine Adresse, die mit https:// beginnt."),
    )
    attribution = models.CharField(
        _("Namensnennung"),
        max_length=300,
        help_text=_("Wie Nutzerinnen und Nutzer der Daten die Quelle nennen sollen."),
    )
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Lizenz der offenen Daten")
        verbose_name_plural = _("Lizenz der offenen Daten")

    def __str__(self):
        return self.name

    @classmethod
    def current(cls):
        """The licence staff set, else the settings' default (one query)."""
        return cls.objects.order_by("pk").first() or cls(
            name=settings.KOSS_OPEN_DATA_LICENCE,
            url=settings.KOSS_OPEN_DATA_LICENCE_URL,
            attribution=settings.KOSS_OPEN_DATA_ATTRIBUTION,
        )
