"""The renditions of article photos: made in the background after an image is stored, removed
when the article leaves them behind (a new image, the image removed, the article deleted).

They hang on post_save and post_delete, not on Article.save(), because restoring a version from
the history saves the article past save(); such a version comes without renditions (they are not
part of the history), so they are made anew.
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks import task

from koss.core.cache import start_new_generation
from koss.core.images import delete_renditions, write_renditions

from .models import Article


@task()
def make_renditions(article_id, name):
    """Write the renditions of the article's image `name`, unless it has another image by now."""
    article = Article.objects.filter(pk=article_id, image=name).only("image_renditions").first()
    if article is None:
        return
    renditions = write_renditions(default_storage, name)
    updated = Article.objects.filter(pk=article_id, image=name).update(
        image_renditions=renditions,
        image_width=renditions["width"],
        image_height=renditions["height"],
    )
    if not updated:  # the image changed while they were made
        delete_renditions(default_storage, renditions)
        return
    if article.image_renditions.get("name") != name:
        delete_renditions(default_storage, article.image_renditions)
    start_new_generation()


def renditions_after_save(sender, instance, **kwargs):
    if instance.image and instance.current_renditions is None:
        article_id, name = instance.pk, instance.image.name
        transaction.on_commit(lambda: make_renditions.enqueue(article_id, name))
    elif not instance.image and instance.image_renditions:
        renditions = instance.image_renditions
        Article.objects.filter(pk=instance.pk).update(image_renditions={})
        transaction.on_commit(lambda: delete_renditions(default_storage, renditions))


def renditions_after_delete(sender, instance, **kwargs):
    renditions = instance.image_renditions
    if renditions:
        transaction.on_commit(lambda: delete_renditions(default_storage, renditions))
