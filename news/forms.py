from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .models import Article

# What a subscriber agrees to; kept word for word with each sign-up as proof.
CONSENT_TEXT = _(
    "Ich möchte die ausgewählten Beiträge von KOSS per E-Mail erhalten. Meine E-Mail-Adresse "
    "wird nur dafür gespeichert und nicht weitergegeben. Ich kann mich jederzeit über den Link "
    "in jeder E-Mail wieder abmelden."
)
FORM_SALT = "news.press-list-form"
# The form's token is accepted for this long after the page was rendered.
FORM_MAX_AGE = 2 * 24 * 60 * 60


def new_form_token():
    return signing.TimestampSigner(salt=FORM_SALT).sign("presseliste")


class PressListForm(forms.Form):
    """The sign-up to the press list. It needs no session: instead of Django's CSRF cookie it
    carries a signed, dated token, so anonymous visitors get no cookie."""

    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Was möchten Sie erhalten?"),
        choices=Article.Kind.choices,
        initial=[Article.Kind.PRESS_RELEASE],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte wählen Sie mindestens eine Art von Beiträgen.")},
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Bitte stimmen Sie zu, damit wir Ihnen schreiben dürfen.")},
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = new_form_token()

    def clean_token(self):
        try:
            signing.TimestampSigner(salt=FORM_SALT).unsign(
                self.cleaned_data["token"], max_age=FORM_MAX_AGE
            )
        except signing.BadSignature as error:
            raise forms.ValidationError(
                _("Das Formular ist abgelaufen. Bitte senden Sie es noch einmal ab.")
            ) from error
        return self.cleaned_data["token"]
