"""Read-only admin views of the ledger: every change must go through `ledger` (rules, audit)."""

from django.contrib import admin

from kinomost.rights.models import Contract, RightAtom, Term


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(ReadOnly):
    list_display = ["reference", "kind", "licensor", "licensee", "signed_on", "external_ref"]
    list_filter = ["kind"]
    search_fields = ["reference", "external_ref"]


@admin.register(Term)
class TermAdmin(ReadOnly):
    list_display = ["id", "contract", "kind", "start", "end", "ends_early_on", "exclusive", "sublicensable"]
    list_filter = ["kind", "exclusive"]


@admin.register(RightAtom)
class RightAtomAdmin(ReadOnly):
    list_display = ["id", "kind", "work", "territory", "media", "start", "effective_end", "holder", "licensee", "exclusive"]
    list_filter = ["kind", "exclusive", "media"]
    raw_id_fields = ["work", "holder", "licensee", "term", "contract"]
