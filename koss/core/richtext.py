"""Rich text that staff format in the admin: one editor configuration, one sanitiser."""

from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField, create_sanitizer

# What staff can format; the sanitiser allows exactly this and nothing else.
EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
    # German names for the menu's buttons (static/koss/admin/prose-editor-de.js).
    "GermanMenu": True,
}
sanitize = create_sanitizer(EXTENSIONS)


class RichTextField(ProseEditorField):
    """Edited with django-prose-editor, sanitised with nh3 whenever a form cleans it.

    The value is sanitised again whenever a model is saved, which also covers writes without a
    form.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("config", {"extensions": EXTENSIONS})
        kwargs.setdefault("sanitize", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault(
            "help_text",
            _("Überschriften, Listen, Links und Hervorhebungen; anderes wird entfernt."),
        )
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = sanitize(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value
