from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MinutesComment


class MinutesCommentForm(forms.ModelForm):
    class Meta:
        model = MinutesComment
        fields = ["text"]
        labels = {"text": _("Ihr Kommentar zum Entwurf")}
        help_texts = {
            "text": _(
                "Sichtbar für die Redaktion und die aktuellen Mitglieder des Beirats, nie öffentlich."
            )
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "text": {
                "required": _("Bitte schreiben Sie Ihren Kommentar, bevor Sie ihn senden."),
                "max_length": _(
                    "Ihr Kommentar ist zu lang: höchstens %(limit_value)d Zeichen, "
                    "Sie haben %(show_value)d geschrieben."
                ),
            }
        }
