"""Second-factor secrets stored in clear are encrypted (koss.core.secrets), and mails already
queued with a login link are marked; delivered ones lose the link."""

from django.db import migrations, models

from koss.core import secrets

# Where the links of the portal's login mails lead (password reset and invitation, confirmation).
LOGIN_LINK_PATHS = ["/konto/password/reset/key/", "/konto/confirm-email/"]
SCRUBBED = "Der Text enthielt einen Anmeldelink und wurde nach der Zustellung gelöscht."


def transform_all(apps, function, wanted):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.exclude(type="webauthn"):
        data = secrets.transform_secrets(
            authenticator.type,
            authenticator.data,
            lambda value: function(value) if wanted(value) else value,
        )
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_secrets(apps, schema_editor):
    transform_all(apps, secrets.encrypt, lambda value: not secrets.is_encrypted(value))


def decrypt_secrets(apps, schema_editor):
    transform_all(apps, secrets.decrypt, secrets.is_encrypted)


def mark_login_mails(apps, schema_editor):
    Mail = apps.get_model("koss", "Mail")
    carrying = models.Q()
    for path in LOGIN_LINK_PATHS:
        carrying |= models.Q(body__contains=path) | models.Q(html_body__contains=path)
    Mail.objects.filter(carrying).update(carries_login_link=True)
    Mail.objects.filter(carries_login_link=True, status="zugestellt").update(
        body=SCRUBBED, html_body=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("koss", "0006_german_collation"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.AddField(
            model_name="mail",
            name="carries_login_link",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Der Text wird nicht angezeigt und nach der Zustellung gelöscht.",
                verbose_name="enthält Anmeldelink",
            ),
        ),
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
        migrations.RunPython(mark_login_mails, migrations.RunPython.noop),
    ]
