from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from koss.core.images import renditions_complete
from news.models import Article
from news.photos import make_first_rendition, make_renditions


class Command(BaseCommand):
    help = (
        "Erstellt die verkleinerten Fassungen der Beitragsfotos, die keine oder nicht alle haben, "
        "etwa nach einem Import, dem Einspielen einer älteren Datenbank oder neuen Bildbreiten: "
        "die kleinste sofort, damit die Seite das Foto zeigt, die übrigen in der Warteschlange "
        "der Hintergrundaufgaben, mit --now alle sofort. Mehrfach aufgerufen, erstellt es nichts "
        "doppelt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Alle Fassungen sofort in diesem Prozess erstellen, ohne Warteschlange.",
        )

    def handle(self, *args, now, **options):
        articles = Article.objects.exclude(image="").only("image", "image_renditions")
        missing = [
            article
            for article in articles.iterator()
            if not renditions_complete(article.current_renditions)
        ]
        for article in missing:
            if now:
                make_renditions.call(article.pk, article.image.name)
                continue
            if article.current_renditions is None:
                make_first_rendition(article)
            make_renditions.enqueue(article.pk, article.image.name)
        if now:
            message = ngettext(
                "Verkleinerte Fassungen für %(count)d Foto erstellt.",
                "Verkleinerte Fassungen für %(count)d Fotos erstellt.",
                len(missing),
            )
        else:
            message = ngettext(
                "Verkleinerte Fassungen für %(count)d Foto in Auftrag gegeben.",
                "Verkleinerte Fassungen für %(count)d Fotos in Auftrag gegeben.",
                len(missing),
            )
        self.stdout.write(message % {"count": len(missing)})
