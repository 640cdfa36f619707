from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.names import SERBIAN_HELP, current
from core.search import fold

# More people than any place of detention holds (the largest hold a few thousand): a count above
# it is a typing error, and would make every sum on the dashboard meaningless.
MAX_PEOPLE = 100_000


def people_count_validator() -> MaxValueValidator:
    return MaxValueValidator(
        MAX_PEOPLE,
        _("No place holds more than %(limit_value)s people: check the number."),
    )


class AuthorityQuerySet(models.QuerySet):
    def search(self, text: str):
        """By either name or the short name: users type the name in the language they work in."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text) | Q(name_sr__icontains=text) | Q(short_name__icontains=text)
        )

    def subtree_ids(self, root: Authority | int) -> set[int]:
        """Ids of `root` and every authority below it, in one recursive query whatever the depth
        (UNION, not UNION ALL: a cycle, which the model's validation forbids, still ends)."""
        pk = root if isinstance(root, int) else root.pk
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH RECURSIVE subtree(id) AS (
                    SELECT id FROM {table} WHERE id = %s
                    UNION
                    SELECT child.id FROM {table} child JOIN subtree ON child.parent_id = subtree.id
                )
                SELECT id FROM subtree
                """,  # nosec B608 - the table is the model's own; the key is bound
                [pk],
            )
            return {row[0] for row in cursor.fetchall()}


class AuthorityKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Government agency or service")
    DIRECTORATE = "directorate", _("Directorate or administration")
    INSTITUTION = "institution", _("Institution")
    COURT = "court", _("Court")
    OTHER = "other", _("Other body")


class Authority(models.Model):
    """An institution, directorate or ministry: runs places, receives recommendations."""

    Kind = AuthorityKind

    name = models.CharField(_("name"), max_length=255, unique=True)
    # Registry data, so its translation is too (as Theme's); Cyrillic is transliterated from it.
    name_sr = models.CharField(
        _("name in Serbian"), max_length=255, blank=True, help_text=SERBIAN_HELP
    )
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The body one level up: an institution reports to a directorate or ministry."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AuthorityKind.values), name="authority_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="authority_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("visits:authority_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        """The name in the current language: Serbian Latin or Cyrillic when set, else English."""
        return current(self.name, self.name_sr)

    def ancestors(self) -> list[Authority]:
        """From the direct parent up to the top (usually the ministry)."""
        chain: list[Authority] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    @property
    def ministry(self) -> Authority:
        """The top of the chain: the body responsible for this one (itself when at the top)."""
        chain = self.ancestors()
        return chain[-1] if chain else self

    def clean(self) -> None:
        if self.parent_id is None or self.pk is None:
            return
        node = self.parent
        while node is not None:
            if node.pk == self.pk:
                raise ValidationError(
                    {"parent": _("An authority cannot report to itself or to a body below it.")}
                )
            node = node.parent


def district_key(name: str) -> str:
    """What makes two district names the same district: spacing, case, diacritics and script
    ignored ("city of belgrade " is "City of Belgrade", "Macva" is "Mačva")."""
    return fold(" ".join(name.split())) or ""


class District(models.Model):
    """An administrative district (okrug): places are registered in one chosen from this list,
    which admins keep, so free text cannot create near-duplicates."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_sr = models.CharField(
        _("name in Serbian"), max_length=100, blank=True, help_text=SERBIAN_HELP
    )
    # district_key(name), kept by save(): the database refuses near-duplicates too.
    folded_name = models.CharField(max_length=100, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.name_sr = " ".join(self.name_sr.split())
        self.folded_name = district_key(self.name)
        previous = District.objects.filter(pk=self.pk).first() if self.pk else None
        super().save(*args, **kwargs)
        if previous and (previous.name, previous.name_sr) != (self.name, self.name_sr):
            # Places keep the district's names as text (exports, PDFs, API): renamed with it.
            Place.objects.filter(district=previous.name).update(
                district=self.name, district_sr=self.name_sr
            )

    @property
    def display_name(self) -> str:
        return current(self.name, self.name_sr)

    def clean(self) -> None:
        self.name = " ".join((self.name or "").split())
        self.name_sr = " ".join((self.name_sr or "").split())
        twin = District.objects.filter(folded_name=district_key(self.name)).exclude(pk=self.pk)
        if self.name and twin.exists():
            raise ValidationError(
                {
                    "name": _("This district is already in the list as “%(name)s”.")
                    % {"name": twin.first().name}
                }
            )


class PlaceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(name_sr__icontains=text)
            | Q(municipality__icontains=text)
            | Q(district__icontains=text)
            | Q(district_sr__icontains=text)
            | Q(address__icontains=text)
            | Q(authority__name__icontains=text)
            | Q(authority__name_sr__icontains=text)
        )


class PlaceCategory(models.TextChoices):
    POLICE = "police", _("Police station / detention unit")
    PRETRIAL = "pretrial", _("Pre-trial detention")
    PRISON = "prison", _("Prison")
    JUVENILE = "juvenile", _("Juvenile institution")
    PSYCHIATRIC = "psychiatric", _("Psychiatric hospital or ward")
    SOCIAL_ADULTS = "social_adults", _("Social care home for adults with disabilities")
    SOCIAL_CHILDREN = "social_children", _("Social care home for children")
    SOCIAL_ELDERLY = "social_elderly", _("Social care home for the elderly")
    ASYLUM = "asylum", _("Asylum centre")
    RECEPTION = "reception", _("Reception or transit centre for migrants")
    FOREIGNERS = "foreigners", _("Shelter / detention centre for foreigners")
    BORDER = "border", _("Border crossing holding room")
    AIRPORT = "airport", _("Airport transit zone")
    MILITARY = "military", _("Military detention")
    COURT = "court", _("Court cells")
    OTHER = "other", _("Other")


class Place(models.Model):
    """A place where people are or may be deprived of their liberty."""

    Category = PlaceCategory

    name = models.CharField(_("name"), max_length=255, unique=True)
    name_sr = models.CharField(
        _("name in Serbian"), max_length=255, blank=True, help_text=SERBIAN_HELP
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("operating authority"),
        on_delete=models.PROTECT,
        related_name="places",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100)
    district = models.CharField(_("district"), max_length=100)
    district_sr = models.CharField(
        _("district in Serbian"), max_length=100, blank=True, help_text=SERBIAN_HELP
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[people_count_validator()],
        help_text=_("Official number of places."),
    )
    holds_women = models.BooleanField(_("holds women"), default=False)
    holds_minors = models.BooleanField(_("holds minors"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive places are closed or no longer used.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=PlaceCategory.values),
                name="place_category_valid",
            ),
        ]
        indexes = [models.Index(fields=["category", "active"]), models.Index(fields=["district"])]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("visits:place_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        """The name in the current language: Serbian Latin or Cyrillic when set, else English."""
        return current(self.name, self.name_sr)

    @property
    def display_district(self) -> str:
        return current(self.district, self.district_sr)
