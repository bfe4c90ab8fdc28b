"""Uploaded files leave the server only through views that checked permission first."""

import datetime
import posixpath
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.deconstruct import deconstructible

from .storage import on_local_disk, open_stream
from .validators import document_content_type, image_content_type, typed_filename


@deconstructible
class UploadTo:
    """`upload_to` that stores a file under the extension of its detected type.

    nginx serves X-Accel-Redirect paths by their extension, so a stored name never keeps the
    uploader's `.html`. The directory may hold strftime codes, as a plain `upload_to` may.
    """

    def __init__(self, directory, field_name):
        self.directory = directory
        self.field_name = field_name

    def __call__(self, instance, filename):
        content_type = document_content_type(getattr(instance, self.field_name))
        directory = datetime.datetime.now().strftime(self.directory)
        return posixpath.join(directory, typed_filename(_stem(filename), content_type))


def _stem(name):
    return posixpath.splitext(posixpath.basename(name))[0]


def file_response(field_file, *, content_type, public, as_attachment=True, filename=None):
    """The stored file with the given type; its name takes the extension of that type.

    From the local disk nginx sends it when X-Accel-Redirect is configured; otherwise, and always
    from object storage, Django streams it.
    """
    if not field_file:
        raise Http404
    filename = filename or typed_filename(_stem(field_file.name), content_type)
    storage = field_file.storage
    if settings.KOSS_X_ACCEL_REDIRECT_PREFIX and on_local_disk(storage):
        # nginx sends the file from an internal location; Django only decided who may have it.
        # A missing file is our 404, so callers never log a download nginx could not send.
        if not storage.exists(field_file.name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = quote(
            settings.KOSS_X_ACCEL_REDIRECT_PREFIX + field_file.name
        )
        disposition = "attachment" if as_attachment else "inline"
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
        return _finish(response, public)
    try:
        stream, size = open_stream(storage, field_file.name)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stream,
        content_type=content_type,
        as_attachment=as_attachment,
        filename=filename,
    )
    if "Content-Length" not in response:
        # A stream from object storage cannot tell its length; the object store did.
        response["Content-Length"] = str(size)
    return _finish(response, public)


def _finish(response, public):
    response["X-Content-Type-Options"] = "nosniff"
    if public:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def image_response(field_file, *, public, as_attachment=False):
    """An uploaded image shown inline (or downloaded), with its type read from the file's header."""
    if not field_file:
        raise Http404
    try:
        with field_file.open("rb") as handle:
            content_type = image_content_type(handle)
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    if content_type is None:
        raise Http404
    return file_response(
        field_file, content_type=content_type, public=public, as_attachment=as_attachment
    )
