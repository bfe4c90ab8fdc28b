"""Forms of the board: the admin's document forms (an agenda item is always one of the
document's meeting, minutes are approved at a later meeting's item), a member's reply and a
member's comment on draft minutes."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import AgendaItem, Document, Meeting, MinutesComment, Reply

# The prefix of the agenda inline on the meeting page (the related name of AgendaItem.meeting).
AGENDA_PREFIX = "agenda_items"


class AgendaItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        # The meeting in the label: staff can tell whose agenda an item is.
        return _("%(meeting)s – %(item)s") % {"meeting": item.meeting, "item": item}


class DocumentAdminForm(forms.ModelForm):
    """Offers the agenda of the document's meeting only; Document.clean() rejects any other."""

    class Meta:
        model = Document
        fields = [
            "meeting",
            "agenda_item",
            "kind",
            "title",
            "visibility",
            "file",
            "published_at",
            "approval_item",
            "approved_on",
        ]
        field_classes = {
            "agenda_item": AgendaItemChoiceField,
            "approval_item": AgendaItemChoiceField,
        }
        help_texts = {
            "agenda_item": _(
                "Angeboten wird die Tagesordnung der gespeicherten Sitzung. Wenn Sie die Sitzung "
                "wechseln, leeren Sie dieses Feld und wählen den Punkt nach dem Speichern neu. "
                "Einfacher: Dokumente auf der Seite der Sitzung hinzufügen."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "agenda_item" in self.fields:
            self.fields["agenda_item"].queryset = AgendaItem.objects.filter(
                meeting_id=self.meeting_id()
            ).select_related("meeting")
        if "approval_item" in self.fields:
            # Minutes are approved at a later meeting of their board.
            meeting = Meeting.objects.filter(pk=self.meeting_id()).first()
            later = AgendaItem.objects.none()
            if meeting is not None:
                later = AgendaItem.objects.filter(
                    meeting__board_id=meeting.board_id, meeting__starts_at__gt=meeting.starts_at
                ).order_by("meeting__starts_at", "position")
            self.fields["approval_item"].queryset = later.select_related("meeting")

    def meeting_id(self):
        """The saved meeting; for a new document the chosen one (or the one in the address)."""
        if self.instance.pk:
            return self.instance.meeting_id
        if self.is_bound:
            value = self.data.get(self.add_prefix("meeting"))
        else:
            value = self.get_initial_for_field(self.fields["meeting"], "meeting")
        try:
            return int(value)
        except (TypeError, ValueError):
            return None


class DocumentInlineForm(forms.ModelForm):
    """A document on the meeting page names its agenda item by number ("TOP"), so that it can
    belong to an item added in the same save: the agenda is saved first (its inline comes first),
    and the number is looked up in this meeting only when the document is saved."""

    top = forms.IntegerField(
        label=_("TOP"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "vSmallField"}),
        help_text=_("Nummer des Tagesordnungspunkts dieser Sitzung, auch eines eben angelegten."),
    )

    class Meta:
        model = Document
        fields = ["kind", "title", "visibility", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.agenda_item_id:
            self.fields["top"].initial = self.instance.agenda_item.position

    def save(self, commit=True):
        top = self.cleaned_data.get("top")
        self.instance.agenda_item = (
            AgendaItem.objects.get(meeting=self.instance.meeting, position=top) if top else None
        )
        return super().save(commit)


class DocumentInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        positions = self.agenda_positions()
        for form in self.forms:
            top = getattr(form, "cleaned_data", {}).get("top")
            if top and not self._should_delete_form(form) and top not in positions:
                form.add_error(
                    "top",
                    ValidationError(
                        _("Diese Sitzung hat keinen TOP %(top)s."), params={"top": top}
                    ),
                )

    def agenda_positions(self):
        """The numbers of the agenda as it is after this save: the posted rows of the agenda
        inline, without those marked for deletion."""
        try:
            total = int(self.data.get(f"{AGENDA_PREFIX}-TOTAL_FORMS", 0))
        except ValueError:
            return set()
        positions = set()
        for index in range(min(total, 1000)):
            prefix = f"{AGENDA_PREFIX}-{index}-"
            position = self.data.get(prefix + "position", "")
            if position.isdigit() and not self.data.get(prefix + "DELETE"):
                positions.add(int(position))
        return positions


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
