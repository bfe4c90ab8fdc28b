"""Where uploaded files live: a directory on the local disk (Django's FileSystemStorage, the
default) or a bucket of an S3-compatible object store (django-storages' S3Storage, when
KOSS_S3_BUCKET is set).

Code that handles stored files goes through Django's storage API and these helpers, never through
a local path, so that it works on both. Only what nginx sends itself (X-Accel-Redirect) and the
atomic rename of a built file (BuiltFiles) need the local disk, and they ask on_local_disk() first.
"""

import dataclasses
import datetime
import hashlib
import io
import json
import os
import posixpath
import shutil
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

# A ZIP's directory is read through this buffer: one ranged request for each read beyond it.
RANGE_BUFFER = 64 * 1024
# Files are copied in pieces of this size, never held whole in memory.
COPY_CHUNK = 1024 * 1024
# A build takes seconds; a partial file this old was left by a crashed one.
ABANDONED_AFTER = datetime.timedelta(hours=1)
# The end of the name of a file still being written beside its place on the local disk.
PARTIAL_SUFFIX = ".part"


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


def copy_file(source, target):
    """Copy one open binary file into another, a chunk at a time."""
    shutil.copyfileobj(source, target, COPY_CHUNK)


@dataclasses.dataclass(frozen=True)
class BuiltFiles:
    """Files built from stored files (the meeting ZIP, the meeting book) and kept in the storage,
    so that sending one again costs no more than sending a file.

    A file's name is `<directory>/<key>-<hash><suffix>`: the key says what the file is of, the hash
    covers everything in it. A change leads to a file under a new name, which supersedes the
    others of its key.
    """

    directory: str
    suffix: str

    def name(self, key, content):
        """The name of the file of this key with this content (anything JSON can hold)."""
        digest = hashlib.sha256(json.dumps(content).encode()).hexdigest()[:32]
        return f"{self.directory}/{key}-{digest}{self.suffix}"

    def read(self, storage, name, read, *, unreadable=()):
        """What `read(handle)` reads from the stored file, or None if there is none or reading it
        raises one of the `unreadable` exceptions. The handle reads only what is asked of it
        (open_seekable), from the object store too."""
        try:
            with open_seekable(storage, name) as handle:
                return read(handle)
        except (FileNotFoundError, *unreadable):
            return None

    def store(self, storage, name, write, *, keep=lambda result: True, partial="."):
        """Write the file with `write(target)` into a temporary file and store it under `name`
        when complete; return what `write` returned. Nothing is stored if `write` raises or
        `keep(result)` is false.

        A concurrent request finds the whole file or none: on the local disk the temporary file
        lies beside its place (named `partial`…PARTIAL_SUFFIX) and is renamed; an object store
        shows an uploaded object only when it is whole.
        """
        if on_local_disk(storage):
            return _store_beside(storage, name, write, keep, partial)
        with tempfile.TemporaryFile() as temporary:
            result = write(temporary)
            if keep(result):
                temporary.seek(0)
                stored = storage.save(name, File(temporary, name=posixpath.basename(name)))
                if stored != name:
                    # A concurrent build stored the same file (the name is its content's hash).
                    storage.delete(stored)
        return result

    def prune(self, storage, key, *, keep):
        """Delete the files of this key that `keep` superseded, and what an interrupted build
        left behind."""
        abandoned_before = timezone.now() - ABANDONED_AFTER
        for filename in storage.listdir(self.directory)[1]:
            name = f"{self.directory}/{filename}"
            superseded = (
                filename.startswith(f"{key}-") and filename.endswith(self.suffix) and name != keep
            )
            abandoned = filename.endswith(PARTIAL_SUFFIX) and (
                storage.get_modified_time(name) < abandoned_before
            )
            if superseded or abandoned:
                storage.delete(name)

    def remove_partial(self, storage, partial):
        """Delete the temporary files named `partial`…, left by a build killed while it wrote
        them. In object storage there are none: a file is uploaded only when complete."""
        if not on_local_disk(storage):
            return
        try:
            filenames = storage.listdir(self.directory)[1]
        except FileNotFoundError:
            return
        for filename in filenames:
            if filename.startswith(partial) and filename.endswith(PARTIAL_SUFFIX):
                storage.delete(f"{self.directory}/{filename}")


def _store_beside(storage, name, write, keep, partial):
    path = Path(storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=partial, suffix=PARTIAL_SUFFIX, delete=False
    ) as temporary:
        try:
            result = write(temporary)
        except BaseException:
            os.unlink(temporary.name)
            raise
    if not keep(result):
        os.unlink(temporary.name)
        return result
    os.chmod(temporary.name, storage.file_permissions_mode or 0o644)
    os.replace(temporary.name, path)
    return result


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
