"""Django admin phrases that Django's own Vietnamese catalog lacks (Django 5.2, django/contrib/admin/locale/vi).

Never imported: it exists so that `manage.py update_translations` (makemessages) keeps these msgids
in locale/vi, which LOCALE_PATHS puts ahead of Django's catalogs; the admin's templates then find
them translated. tests/test_admin_language.py renders admin pages in Vietnamese and fails on any
of them left in English. When Django's catalog gains them, they can go.
"""

from django.utils.translation import gettext_noop

ADMIN_PHRASES = [
    gettext_noop("Skip to main content"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Error:"),
    gettext_noop("entry"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("Set password"),
    # Django's catalog has "Thêm vào" ("add into") for both: "Thêm vào lượt in thẻ".
    gettext_noop("Add"),
    gettext_noop("Add %(name)s"),
    # Django's catalog has "Các nhóm", so the delete action read "Xóa các Các nhóm đã chọn".
    gettext_noop("groups"),
]
