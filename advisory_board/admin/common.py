"""What the board's admin modules share."""

from django.contrib import admin


class ReadOnlyInline(admin.TabularInline):
    """Records the site writes (replies, earlier versions): staff read them, never edit them."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False
