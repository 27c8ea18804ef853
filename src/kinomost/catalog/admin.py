from django.contrib import admin

from kinomost.catalog.models import AgeRating, Credit, Identifier, Person, Work, WorkLocalization


class LocalizationInline(admin.TabularInline):
    model = WorkLocalization
    extra = 0


class RatingInline(admin.TabularInline):
    model = AgeRating
    extra = 0


class CreditInline(admin.TabularInline):
    model = Credit
    extra = 0
    raw_id_fields = ("person",)


class IdentifierInline(admin.TabularInline):
    model = Identifier
    extra = 0


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ("ref", "original_title", "kind", "owner", "year", "is_listed")
    list_filter = ("kind", "is_listed", "owner")
    search_fields = ("ref", "original_title", "eidr")
    raw_id_fields = ("parent",)
    inlines = [LocalizationInline, RatingInline, CreditInline, IdentifierInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    search_fields = ("name",)
