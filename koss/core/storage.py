"""Where uploaded files live: a directory on the local disk (Django's FileSystemStorage, the
default) or a bucket of an S3-compatible object store (django-storages' S3Storage, when
KOSS_S3_BUCKET is set).

Code that handles stored files goes through Django's storage API and these helpers, never through
a local path, so that it works on both. Only what nginx sends itself (X-Accel-Redirect) and the
meeting ZIP's atomic rename need the local disk, and they ask on_local_disk() first.
"""

import io
import posixpath

from django.core.files.storage import FileSystemStorage

# A ZIP's directory is read through this buffer: one ranged request for each read beyond it.
RANGE_BUFFER = 64 * 1024


def on_local_disk(storage):
    """Whether the storage keeps its files in a local directory, where nginx can read them."""
    return isinstance(storage, FileSystemStorage)


def open_stream(storage, name):
    """The stored file as (a binary stream from its start, its size in bytes) for sending it.

    FileNotFoundError if there is none. From object storage the stream is the object's body as it
    arrives: sending a file holds neither the whole of it in memory nor a copy on the local disk.
    The caller closes the stream.
    """
    handle = storage.open(name, "rb")
    stored_object = _object_of(handle)
    if stored_object is None:
        return handle, handle.size
    handle.close()
    response = _get(stored_object)
    return response["Body"], response["ContentLength"]


def open_seekable(storage, name):
    """The stored file as a seekable binary file that reads only what is asked of it.

    From object storage every read beyond the buffer is one ranged request, so the directory at the
    end of a large ZIP is read without downloading the archive. FileNotFoundError if there is none.
    """
    handle = storage.open(name, "rb")
    stored_object = _object_of(handle)
    if stored_object is None:
        return handle
    handle.close()
    return io.BufferedReader(_RangeReader(stored_object), RANGE_BUFFER)


def all_stored_names(storage, directory=""):
    """The names of all files in the storage (below `directory`), in a stable order."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        # A local media directory that was never created holds no file.
        return
    for filename in sorted(files):
        yield posixpath.join(directory, filename)
    for subdirectory in sorted(directories):
        yield from all_stored_names(storage, posixpath.join(directory, subdirectory))


def save_exactly(storage, name, content):
    """Store the content under this very name, replacing a file of that name.

    `storage.save` would pick another name for a taken one; the database refers to this one.
    """
    storage.delete(name)
    stored = storage.save(name, content)
    if stored != name:
        raise FileExistsError(f"{name} was stored as {stored}")
    return stored


def _object_of(handle):
    # django-storages' S3File: opening it asked for the object's metadata (a 404 became
    # FileNotFoundError), so its size is known.
    return getattr(handle, "obj", None)


def _get(stored_object, **kwargs):
    from botocore.exceptions import ClientError

    try:
        return stored_object.get(**kwargs)
    except ClientError as error:
        # Deleted between the metadata and the content.
        if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
            raise FileNotFoundError(stored_object.key) from error
        raise


class _RangeReader(io.RawIOBase):
    """A stored object as a seekable raw file: each read is an HTTP Range request."""

    def __init__(self, stored_object):
        super().__init__()
        self._object = stored_object
        self._size = stored_object.content_length
        self._position = 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self._position

    def seek(self, offset, whence=io.SEEK_SET):
        start = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        if start + offset < 0:
            raise OSError("negative seek position")
        self._position = start + offset
        return self._position

    def readinto(self, buffer):
        if self._position >= self._size or not len(buffer):
            return 0
        last = min(self._position + len(buffer), self._size) - 1
        body = _get(self._object, Range=f"bytes={self._position}-{last}")["Body"]
        try:
            data = body.read()
        finally:
            body.close()
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)
