"""Reading a file a user named: only a regular file, only up to a size, never blocking.

A path may name a folder, a FIFO with no writer (which would block a plain `open` for ever),
a device, or a file of gigabytes. So the file is opened without blocking, checked with
`fstat` on the very descriptor that is then read (no gap between the check and the read for
another process to swap the file), refused unless it is a regular file no larger than the
limit, and read no further than one byte past the limit.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

__all__ = ["FileRefusal", "open_regular", "read_limited"]

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_CHUNK = 1024 * 1024


class FileRefusal(Exception):
    """A file that cannot be read, with the error code the caller reports it under."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def read_limited(path: str, limit: int, what: str = "file") -> bytes:
    """The bytes of the regular file at `path`, refusing one larger than `limit` bytes."""
    descriptor, info = _open_regular(path, what)
    try:
        if info.st_size > limit:
            raise _too_large(limit, what)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # the file may grow after fstat: never read past the limit
            chunk = os.read(descriptor, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise _unreadable(error) from None
    finally:
        os.close(descriptor)
    if size > limit:
        raise _too_large(limit, what)
    return b"".join(chunks)


def open_regular(path: str, what: str = "file") -> tuple[BinaryIO, int]:
    """The regular file at `path`, open for reading in binary, and its size in bytes; for a
    file read bit by bit, however large (a batch of escalations)."""
    descriptor, info = _open_regular(path, what)
    return os.fdopen(descriptor, "rb"), info.st_size


def _open_regular(path: str, what: str) -> tuple[int, os.stat_result]:
    if "\0" in path:
        raise FileRefusal(
            "bad_path",
            "the path contains a NUL character, which no file name can hold; "
            "check how the path was written",
        )
    try:
        descriptor = os.open(path, _FLAGS)
    except FileNotFoundError:
        raise FileRefusal("file_not_found", "there is no such file; check the path") from None
    except OSError as error:
        raise _unreadable(error) from None
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise FileRefusal(
                "file_unreadable", f"this is a folder; give the path of a {what} in it"
            )
        if not stat.S_ISREG(info.st_mode):
            raise FileRefusal(
                "not_a_file",
                f"this is not a regular file (a pipe, a device or a socket); save the {what} "
                "to a file and give its path",
            )
    except OSError as error:
        os.close(descriptor)
        raise _unreadable(error) from None
    except FileRefusal:
        os.close(descriptor)
        raise
    return descriptor, info


def _too_large(limit: int, what: str) -> FileRefusal:
    return FileRefusal(
        "too_large",
        f"the file is larger than {limit // (1024 * 1024)} MiB, far more than any {what} "
        "needs; check that this is the right file",
    )


def _unreadable(error: OSError) -> FileRefusal:
    return FileRefusal(
        "file_unreadable",
        f"the file cannot be read ({error.strerror or type(error).__name__}); check that it "
        "exists and that you may read it",
    )
