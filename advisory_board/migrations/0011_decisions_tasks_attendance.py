"""Decisions and tasks of meetings with the history of their status, attendance, and replies
that name a deputy and carry a comment. Existing replies keep their yes or no."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import Case, Value, When


def answers_from_attending(apps, schema_editor):
    """A yes stays a yes; every no becomes "Ich nehme nicht teil"."""
    Reply = apps.get_model("advisory_board", "Reply")
    # One update per row: PostgreSQL refuses to alter a table whose rows changed twice.
    Reply.objects.update(answer=Case(When(attending=True, then=Value("ja")), default=Value("nein")))


def attending_from_answers(apps, schema_editor):
    """Back to yes or no: a deputy is no attendance of the member."""
    Reply = apps.get_model("advisory_board", "Reply")
    Reply.objects.update(attending=Case(When(answer="ja", then=True), default=False))


class Migration(migrations.Migration):

    dependencies = [
        ('advisory_board', '0010_search_stems'),
        ('partners', '0007_upload_names_by_type'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Attendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('anwesend', 'anwesend'), ('entschuldigt', 'entschuldigt'), ('abwesend', 'abwesend')], default='anwesend', help_text='Vorbelegt aus der Rückmeldung: Zusage anwesend, Absage oder Vertretung entschuldigt, keine Antwort abwesend.', max_length=20, verbose_name='Anwesenheit')),
                ('represented_by', models.CharField(blank=True, help_text='Name der Vertretung, wenn das Mitglied nicht selbst kam.', max_length=200, verbose_name='vertreten durch')),
            ],
            options={
                'verbose_name': 'Anwesenheit',
                'verbose_name_plural': 'Anwesenheit',
                'ordering': ['meeting', 'person__last_name', 'person__first_name'],
            },
        ),
        migrations.CreateModel(
            name='Outcome',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('beschluss', 'Beschluss'), ('aufgabe', 'Aufgabe')], default='aufgabe', help_text='Ein Beschluss hält fest, was gilt; eine Aufgabe, was jemand erledigt.', max_length=20, verbose_name='Art')),
                ('text', models.TextField(help_text='Was beschlossen wurde oder was zu tun ist, in einem Satz.', verbose_name='Wortlaut')),
                ('responsible', models.CharField(blank=True, help_text='Person oder Organisation als Text, z. B. „Geschäftsstelle KOSS“.', max_length=200, verbose_name='verantwortlich')),
                ('due_on', models.DateField(blank=True, help_text='Bis wann die Aufgabe erledigt sein soll.', null=True, verbose_name='fällig am')),
                ('status', models.CharField(choices=[('offen', 'offen'), ('in_bearbeitung', 'in Bearbeitung'), ('erledigt', 'erledigt'), ('entfallen', 'entfallen')], default='offen', help_text='Jede Änderung wird mit Zeitpunkt und Bearbeiter festgehalten.', max_length=20, verbose_name='Stand')),
                ('status_changed_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='Stand geändert am')),
            ],
            options={
                'verbose_name': 'Beschluss oder Aufgabe',
                'verbose_name_plural': 'Beschlüsse und Aufgaben',
                'ordering': ['meeting', 'agenda_item__position', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='OutcomeStatusChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('old_status', models.CharField(blank=True, choices=[('offen', 'offen'), ('in_bearbeitung', 'in Bearbeitung'), ('erledigt', 'erledigt'), ('entfallen', 'entfallen')], max_length=20, verbose_name='vorher')),
                ('new_status', models.CharField(choices=[('offen', 'offen'), ('in_bearbeitung', 'in Bearbeitung'), ('erledigt', 'erledigt'), ('entfallen', 'entfallen')], max_length=20, verbose_name='nachher')),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='geändert am')),
            ],
            options={
                'verbose_name': 'Änderung des Stands',
                'verbose_name_plural': 'Verlauf des Stands',
                'ordering': ['outcome', '-changed_at', '-pk'],
            },
        ),
        migrations.AddField(
            model_name='reply',
            name='answer',
            field=models.CharField(choices=[('ja', 'Ich nehme teil'), ('nein', 'Ich nehme nicht teil'), ('vertretung', 'Vertretung kommt')], default='nein', max_length=12, verbose_name='Antwort'),
            preserve_default=False,
        ),
        migrations.RunPython(answers_from_attending, attending_from_answers),
        # A default, so that undoing the removal can add the column back to existing rows.
        migrations.AlterField(
            model_name='reply',
            name='attending',
            field=models.BooleanField(default=False, verbose_name='nimmt teil'),
        ),
        migrations.RemoveField(
            model_name='reply',
            name='attending',
        ),
        migrations.AddField(
            model_name='reply',
            name='comment',
            field=models.TextField(blank=True, help_text='Eine Anmerkung des Mitglieds für die Redaktion, z. B. „komme später“.', max_length=1000, verbose_name='Anmerkung'),
        ),
        migrations.AddField(
            model_name='reply',
            name='deputy_name',
            field=models.CharField(blank=True, help_text='Wer an Stelle des Mitglieds kommt; nur bei „Vertretung kommt“.', max_length=200, verbose_name='Vertretung'),
        ),
        migrations.AddConstraint(
            model_name='reply',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('answer', 'vertretung'), _negated=True), models.Q(('deputy_name', ''), _negated=True), _connector='OR'), name='reply_deputy_has_a_name', violation_error_message='Bitte nennen Sie den Namen Ihrer Vertretung.'),
        ),
        migrations.AddField(
            model_name='attendance',
            name='meeting',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='advisory_board.meeting', verbose_name='Sitzung'),
        ),
        migrations.AddField(
            model_name='attendance',
            name='person',
            field=models.ForeignKey(help_text='Ein Mitglied des Beirats.', on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='advisory_board.person', verbose_name='Person'),
        ),
        migrations.AddField(
            model_name='outcome',
            name='agenda_item',
            field=models.ForeignKey(blank=True, help_text='Der Punkt der Tagesordnung, unter dem beschlossen wurde.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='outcomes', to='advisory_board.agendaitem', verbose_name='Tagesordnungspunkt'),
        ),
        migrations.AddField(
            model_name='outcome',
            name='meeting',
            field=models.ForeignKey(help_text='Die Sitzung, in der beschlossen oder vereinbart wurde.', on_delete=django.db.models.deletion.CASCADE, related_name='outcomes', to='advisory_board.meeting', verbose_name='Sitzung'),
        ),
        migrations.AddField(
            model_name='outcome',
            name='responsible_partner',
            field=models.ForeignKey(blank=True, help_text='Wenn eine Organisation des Partnernetzwerks verantwortlich ist.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='board_outcomes', to='partners.partner', verbose_name='verantwortliche Organisation'),
        ),
        migrations.AddField(
            model_name='outcome',
            name='responsible_person',
            field=models.ForeignKey(blank=True, help_text='Wenn eine Person des Beirats verantwortlich ist.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='responsibilities', to='advisory_board.person', verbose_name='verantwortliche Person'),
        ),
        migrations.AddField(
            model_name='outcomestatuschange',
            name='changed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name='geändert von'),
        ),
        migrations.AddField(
            model_name='outcomestatuschange',
            name='outcome',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='status_changes', to='advisory_board.outcome', verbose_name='Beschluss oder Aufgabe'),
        ),
        migrations.AddConstraint(
            model_name='attendance',
            constraint=models.UniqueConstraint(fields=('meeting', 'person'), name='one_attendance_per_meeting'),
        ),
        migrations.AddConstraint(
            model_name='attendance',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'anwesend'), _negated=True), ('represented_by', ''), _connector='OR'), name='attendance_present_not_represented', violation_error_message='Wer selbst anwesend war, wird nicht vertreten.'),
        ),
        migrations.AddIndex(
            model_name='outcome',
            index=models.Index(fields=['status', 'kind'], name='advisory_bo_status_bb516d_idx'),
        ),
    ]
