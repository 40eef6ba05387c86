"""Back office for declarations: texts, who may sign, open/close/seal, verify, CSV of the chain.

Chain entries are read-only here: the only writes are the signing services.
"""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..errors import DomainError
from ..models import ChainEntry, Declaration, DeclarationVersion, SigningRule
from . import documents, selectors, services


class SigningRuleInline(admin.TabularInline):
    model = SigningRule
    extra = 0


class VersionInline(admin.TabularInline):
    model = DeclarationVersion
    extra = 0
    fields = ["number", "title_vi", "text_sha256", "created_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # versions are added on their own page, which hashes them


def _run(modeladmin, request, queryset, action, done):
    for declaration in queryset:
        try:
            action(declaration)
        except DomainError as error:
            modeladmin.message_user(request, f"{declaration}: {error.message}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{declaration}: {done}", messages.SUCCESS)


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ["title_vi", "event", "slug", "status", "chain_length", "opened_at", "sealed_at"]
    list_filter = ["event", "status"]
    readonly_fields = ["status", "opened_at", "closed_at", "sealed_at", "sealed_by", "chain_length", "chain_head"]
    inlines = [SigningRuleInline, VersionInline]
    actions = ["open_signing", "close_signing", "seal", "verify", "export_csv"]

    @admin.action(description=_("Open selected for signing"), permissions=["change"])
    def open_signing(self, request, queryset):
        _run(self, request, queryset, lambda d: services.open_declaration(declaration=d), gettext("opened"))

    @admin.action(description=_("Close signing of selected"), permissions=["change"])
    def close_signing(self, request, queryset):
        _run(self, request, queryset, lambda d: services.close_declaration(declaration=d), gettext("closed"))

    @admin.action(description=_("Seal selected (final)"), permissions=["change"])
    def seal(self, request, queryset):
        seal = lambda d: services.seal_declaration(declaration=d, by=request.user)  # noqa: E731 - one-line action
        _run(self, request, queryset, seal, gettext("sealed"))

    @admin.action(description=_("Verify the signature chain of selected"), permissions=["view"])
    def verify(self, request, queryset):
        for declaration in queryset:
            result = selectors.verify_chain(declaration)
            if result.ok:
                text = gettext("%(title)s: chain intact, %(count)d entries, head %(head)s")
                params = {"title": declaration, "count": result.entries, "head": result.head}
                self.message_user(request, text % params, messages.SUCCESS)
            else:
                text = gettext("%(title)s: chain BROKEN at entry %(number)s: %(reason)s")
                params = {"title": declaration, "number": result.broken_sequence, "reason": result.message}
                self.message_user(request, text % params, messages.ERROR)

    @admin.action(description=_("Export signatures of selected to CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        declaration = queryset.first()
        response = HttpResponse(documents.signatures_csv(declaration), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="signatures-{declaration.slug}.csv"'
        return response


@admin.register(DeclarationVersion)
class DeclarationVersionAdmin(admin.ModelAdmin):
    list_display = ["declaration", "number", "title_vi", "text_sha256", "created_at"]
    list_filter = ["declaration"]
    fields = ["declaration", "number", "title_vi", "title_en", "body_vi", "body_en", "text_sha256"]
    readonly_fields = ["number", "text_sha256"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.entries.exists():
            return self.fields  # signed: frozen
        if obj is not None:
            return [*self.readonly_fields, "declaration"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        texts = {name: form.cleaned_data[name] for name in ("title_vi", "title_en", "body_vi", "body_en")}
        if change:
            services.update_version(version=obj, **texts)
        else:
            created = services.publish_version(declaration=form.cleaned_data["declaration"], **texts)
            obj.pk, obj.number, obj.text_sha256 = created.pk, created.number, created.text_sha256


@admin.register(ChainEntry)
class ChainEntryAdmin(admin.ModelAdmin):
    list_display = ["declaration", "sequence", "action", "display_name", "category", "role", "method", "recorded_at"]
    list_filter = ["declaration", "action", "method", "role", "category"]
    search_fields = ["display_name", "display_organization", "entry_hash"]
    list_select_related = ["declaration"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
