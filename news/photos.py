"""The renditions of article photos: the smallest made at once when an image is stored, the
others in the background; removed when the article leaves them behind (a new image, the image
removed, the article deleted).

Until the background task has run, or while no worker runs, the page offers the smallest
rendition alone (480 pixels wide, some 20 KB for a camera photo), never the original of up to
20 MB: a dense screen shows the photo a little soft for a while, and no phone downloads more than
it needs. Making it is cheap: a JPEG is decoded at an eighth of its size.

They hang on post_save and post_delete, not on Article.save(), because restoring a version from
the history saves the article past save(); such a version comes without renditions (they are not
part of the history), so they are made anew.
"""

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks import task

from koss.core.cache import start_new_generation
from koss.core.images import delete_renditions, rendition_widths, write_renditions

from .models import Article

logger = logging.getLogger(__name__)


@task()
def make_renditions(article_id, name):
    """Write the renditions of the article's image `name` that are missing, unless it has another
    image by now; remove those of widths no longer made."""
    article = Article.objects.filter(pk=article_id, image=name).only("image_renditions").first()
    if article is None:
        return
    old = article.image_renditions
    there = old["widths"] if old.get("name") == name else []
    written = write_renditions(
        default_storage, name, choose=lambda widths: [w for w in widths if w not in there]
    )
    renditions = written | {"widths": rendition_widths(written["width"])}
    if renditions == old:
        return
    updated = Article.objects.filter(pk=article_id, image=name).update(
        image_renditions=renditions,
        image_width=renditions["width"],
        image_height=renditions["height"],
    )
    if not updated:  # the image changed while they were made
        delete_renditions(default_storage, written)
        return
    if old.get("name") != name:
        delete_renditions(default_storage, old)
    else:
        obsolete = [width for width in there if width not in renditions["widths"]]
        delete_renditions(default_storage, old | {"widths": obsolete})
    start_new_generation()


def make_first_rendition(article):
    """Write the smallest rendition of the article's image at once and note it on the article,
    for the page to offer until the others exist. Returns whether it could be made."""
    try:
        first = write_renditions(
            default_storage, article.image.name, choose=lambda widths: widths[:1]
        )
    except OSError:  # the file is gone, or no image Pillow can read: the task will say so
        logger.warning("No first rendition of %s", article.image.name, exc_info=True)
        return False
    Article.objects.filter(pk=article.pk).update(
        image_renditions=first, image_width=first["width"], image_height=first["height"]
    )
    article.image_renditions = first
    article.image_width, article.image_height = first["width"], first["height"]
    return True


def renditions_after_save(sender, instance, **kwargs):
    if instance.image and instance.current_renditions is None:
        old = instance.image_renditions
        if make_first_rendition(instance) and old:
            transaction.on_commit(lambda: delete_renditions(default_storage, old))
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
