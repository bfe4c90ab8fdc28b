from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Reply

CHOOSE_AN_ANSWER = _("Bitte wählen Sie, ob Sie teilnehmen.")


class ReplyForm(forms.ModelForm):
    """A member's answer for a meeting; Reply.clean() asks for the deputy's name."""

    class Meta:
        model = Reply
        fields = ["answer", "deputy_name", "comment"]
        widgets = {"answer": forms.RadioSelect}
        error_messages = {
            "answer": {"required": CHOOSE_AN_ANSWER, "invalid_choice": CHOOSE_AN_ANSWER}
        }
