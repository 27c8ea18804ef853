"""The catalogue: works, their localised titles and synopses, people, credits, ratings, identifiers.

A Work belongs to the organisation that catalogues it (its owner); `ref` is the owner's own id.
Series contain seasons, seasons contain episodes (`parent`). Listed works are visible to every
organisation (the marketplace); unlisted ones only to the owner.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinomost.core.genres import GENRES
from kinomost.parties.models import Organisation

# The choices live in choices.py (pages name them without the tables); the app's own modules
# still import them from here too.
from kinomost.catalog.choices import PARENT_KIND as PARENT_KIND, TOP_LEVEL_KINDS as TOP_LEVEL_KINDS, CreditRole, WorkKind


class Genre(models.Model):
    slug = models.SlugField(primary_key=True, max_length=40)

    def __str__(self) -> str:
        return str(GENRES.get(self.slug, self.slug))


class Person(models.Model):
    """A person credited on works. `names` holds localised spellings: {"ru": "…", "zh-Hans": "…"}."""

    name = models.CharField(max_length=200, db_index=True)
    names = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Work(models.Model):
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="works")
    ref = models.CharField(_("reference"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=WorkKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    number = models.PositiveIntegerField(null=True, blank=True, help_text="season or episode number")
    original_title = models.CharField(_("original title"), max_length=500)
    original_language = models.CharField(_("original language"), max_length=16, blank=True)
    countries = models.JSONField(_("countries of origin"), default=list, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    runtime_minutes = models.PositiveIntegerField(_("runtime (minutes)"), null=True, blank=True)
    genres = models.ManyToManyField(Genre, blank=True, related_name="works")
    keywords = models.JSONField(default=list, blank=True)
    production_companies = models.ManyToManyField(Organisation, blank=True, related_name="produced_works")
    eidr = models.CharField("EIDR", max_length=40, blank=True, db_index=True)
    poster = models.FileField(upload_to="posters/", blank=True)
    popularity = models.FloatField(default=0, help_text="ranks search ties; e.g. views in the last 30 days")
    is_listed = models.BooleanField(_("listed in the marketplace"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["original_title", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "ref"], name="work_ref_unique_per_owner")]
        indexes = [models.Index(fields=["owner", "kind"]), models.Index(fields=["parent", "number"])]

    def __str__(self) -> str:
        return self.original_title


class WorkLocalization(models.Model):
    """Title and synopsis of a work in one BCP 47 language (canonical case: ru, zh-Hans, en)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="localizations")
    language = models.CharField(max_length=16)
    title = models.CharField(max_length=500)
    synopsis = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "language"], name="one_localization_per_language")]

    def __str__(self) -> str:
        return f"{self.language}: {self.title}"


class Credit(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=20, choices=CreditRole.choices)
    character = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["role", "order", "id"]


class AgeRating(models.Model):
    """A rating of a work in one territory and system (Russia: MKRF 0+ … 18+)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="ratings")
    territory = models.CharField(max_length=2)
    system = models.CharField(max_length=16)
    value = models.CharField(max_length=16)
    minimum_age = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "territory", "system"], name="one_rating_per_system")]


class Identifier(models.Model):
    """Other namespaced ids of a work: ISAN, IMDb, a broadcaster's house number, an avails ALID …"""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="identifiers")
    namespace = models.CharField(max_length=40)
    value = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "namespace"], name="one_identifier_per_namespace")]
        indexes = [models.Index(fields=["namespace", "value"])]


# --- Search index (written only by kinomost.catalog.search.index) --------------------------------
# Owner, listing, popularity and year are copied onto the keys so that a search is answered from
# these tables alone, filtered by tenancy and ordered by rank inside the index.


class SearchKey(models.Model):
    """One normalised form of one title of a work (see catalog/search/normalise.py)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8)  # han, latin, pinyin, initials
    key = models.CharField(max_length=500)
    owner_id = models.BigIntegerField()
    is_listed = models.BooleanField()
    popularity = models.FloatField()
    year = models.PositiveSmallIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["key"], name="searchkey_key"), models.Index(fields=["work"], name="searchkey_work")]


class PersonNameKey(models.Model):
    """One word of one spelling of a person's name, casefolded; of a Han word, every suffix of it.

    People search (catalog/search/people.py) looks the query's longest word up as a prefix of these
    keys: finding who is called "Bodrov" or "巴拉巴诺夫" is an index range, where it had read every
    credit of every visible title."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["key", "person"], name="personnamekey_key")]


class SearchTypoVariant(models.Model):
    """One entry of the typo index (SymSpell's symmetric deletion neighbourhood): the hash of a
    Latin-script key's first characters, or of them with one character deleted. A query with one
    typo — a letter wrong, missing, extra, or two neighbours swapped — shares at least one such
    hash with the key it means, so typo candidates come from an equality lookup instead of a
    trigram similarity scan (catalog/search/normalise.py `typo_variants`)."""

    variant = models.BigIntegerField()
    key = models.ForeignKey(SearchKey, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+", db_constraint=False)

    class Meta:
        indexes = [models.Index(fields=["variant"], name="typovariant_variant"), models.Index(fields=["work"], name="typovariant_work")]


class HanGram(models.Model):
    """A character bigram of a Han title as two code points (`b` = 0 after the last character).

    Word tokenizers do not split Chinese and trigram indexes cannot answer 1–2 character
    queries, so Chinese gets this index of its own: plain btree lookups on both databases.
    """

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    a = models.IntegerField()
    b = models.IntegerField()
    position = models.SmallIntegerField()
    owner_id = models.BigIntegerField()
    is_listed = models.BooleanField()
    popularity = models.FloatField()

    class Meta:
        indexes = [
            models.Index(fields=["a", "-popularity"], name="hangram_a_pop"),
            models.Index(fields=["a", "b", "-popularity"], name="hangram_ab_pop"),
            models.Index(fields=["a", "position", "-popularity"], name="hangram_a_pos_pop"),
            models.Index(fields=["a", "b", "position", "-popularity"], name="hangram_ab_pos_pop"),
            models.Index(fields=["work"], name="hangram_work"),
        ]
