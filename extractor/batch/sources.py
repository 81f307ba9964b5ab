"""Listing the inputs of a batch lazily: folders, zip archives and ``@list`` files.

:func:`iter_sources` turns command-line inputs into a stream of
:class:`SourceItem` without reading any document: a folder is walked one
directory at a time, a zip archive is listed from its central directory and its
members are read one by one, in memory, never extracted to disk. An item only
opens its file when :meth:`SourceItem.read_bytes` is called — in a worker
process, since items pickle.

Inputs that must not be read still come out as items, so they get an error row
instead of vanishing: a zip member with an absolute path or a ``..`` part, a
symbolic link that leads out of the input folder, a member that would inflate
past the limits. Their ``read_bytes`` raises the typed error.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "a.txt").write_text("KẾ HOẠCH", encoding="utf-8")
>>> [item.read_bytes().decode() for item in iter_sources([str(root)])]
['KẾ HOẠCH']
"""

from __future__ import annotations

import fnmatch
import os
import stat
import threading
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from extractor.errors import (
    ALL_ERRORS,
    CorruptFile,
    DecompressionBomb,
    TooLarge,
    UnsafePath,
    UnsupportedFormat,
    VanbanError,
)
from extractor.limits import MAX_COMPRESSION_RATIO, MAX_FILE_BYTES

__all__ = ["SourceItem", "iter_sources"]

#: Separates an archive's path from a member's name in a display path.
MEMBER_SEPARATOR = "!"
_ERRORS_BY_CODE: dict[str, type[VanbanError]] = {error.code: error for error in ALL_ERRORS}
#: Members smaller than this are never called bombs, whatever their ratio
#: (a page of spaces compresses 1000:1 and is harmless).
_BOMB_MIN_BYTES = 1024 * 1024


@dataclass(frozen=True)
class SourceItem:
    """One input of a batch: a file, a zip member, or a refused entry.

    Attributes:
        path: the display path, as rows report it: the path as given (a folder
            input joined with the file's relative path), or
            ``archive.zip!member/name.txt`` for a zip member.
        location: absolute path of the file, or of the archive holding the member.
        member: the member's name inside the archive, None for a plain file.
        root: real path of the folder the file was found under; reading
            refuses a file that (by then) resolves outside it.
        refusal: ``(error code, detail)`` of an entry that must not be read.

    >>> item = SourceItem(path="x.zip!../evil.txt", location="/x.zip", member="../evil.txt",
    ...                   refusal=("unsafe_path", "member name with '..'"))
    >>> item.read_bytes()
    Traceback (most recent call last):
    ...
    extractor.errors.UnsafePath: unsafe path refused: x.zip!../evil.txt (member name with '..')
    """

    path: str
    location: str
    member: str | None = None
    root: str | None = None
    refusal: tuple[str, str] | None = None

    def read_bytes(self) -> bytes:
        """The content, read now; raises the typed error of a refused entry.

        Raises:
            VanbanError: unsafe_path, too_large, decompression_bomb,
                corrupt_file or unsupported_format (not a regular file).
            OSError: the file is missing or unreadable.
        """
        if self.refusal is not None:
            code, detail = self.refusal
            raise _ERRORS_BY_CODE[code](path=self.path, detail=detail)
        if self.member is not None:
            return _read_member(self.location, self.member, display=self.path)
        return _read_file(self.location, root=self.root, display=self.path)


def iter_sources(
    inputs: Sequence[str], *, include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> Iterator[SourceItem]:
    """Every input item, lazily, in a stable order (sorted within each folder).

    Args:
        inputs: files, folders (walked recursively; hidden entries skipped),
            ``.zip`` archives (also when found inside a folder), and ``@list.txt``
            files naming one input a line (blank lines and ``#`` comments skipped;
            relative names are relative to the list's folder).
        include: glob patterns; when given, only matching items are listed.
        exclude: glob patterns of items to leave out.

    A pattern matches an item's path relative to its input (``sub/a.txt``; the
    member name in an archive), or its file name, ignoring case: ``*.pdf``
    matches ``2022/KH-01.PDF``. A missing input still yields an item, whose
    read raises ``FileNotFoundError``, so it gets a ``not_found`` row.

    >>> import tempfile, pathlib, zipfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> with zipfile.ZipFile(root / "a.zip", "w") as archive:
    ...     archive.writestr("kh/1.txt", "KẾ HOẠCH")
    ...     archive.writestr("../up.txt", "x")
    >>> [(item.path[len(str(root)) + 1 :], item.refusal) for item in iter_sources([str(root)])]
    [('a.zip!../up.txt', ('unsafe_path', "member name with a '..' part")), ('a.zip!kh/1.txt', None)]
    """
    selector = _Selector(tuple(include), tuple(exclude))
    for given in inputs:
        if given.startswith("@") and Path(given[1:]).is_file():
            yield from _iter_list(given[1:], selector)
        else:
            yield from _iter_input(given, selector)


@dataclass(frozen=True)
class _Selector:
    include: tuple[str, ...]
    exclude: tuple[str, ...]

    def __call__(self, *relatives: str) -> bool:
        candidates = {relative.casefold() for relative in relatives}
        candidates |= {relative.rsplit("/", 1)[-1].casefold() for relative in relatives}

        def matches(patterns: tuple[str, ...]) -> bool:
            return any(
                fnmatch.fnmatchcase(candidate, pattern.casefold())
                for pattern in patterns
                for candidate in candidates
            )

        return (not self.include or matches(self.include)) and not matches(self.exclude)


def _iter_list(list_path: str, selector: _Selector) -> Iterator[SourceItem]:
    base = Path(list_path).absolute().parent
    with Path(list_path).open(encoding="utf-8-sig") as lines:
        for line in lines:
            name = line.strip()
            if not name or name.startswith("#"):
                continue
            given = name if Path(name).is_absolute() else str(base / name)
            yield from _iter_input(given, selector)


def _iter_input(given: str, selector: _Selector) -> Iterator[SourceItem]:
    # absolute(), not resolve(): links are judged while walking, not here.
    location = str(Path(given).absolute())
    if Path(location).is_dir():
        root = os.path.realpath(location)
        yield from _walk(given, location, root, "", selector, visited={root})
    elif _is_archive(location):
        yield from _iter_archive(given, location, selector)
    elif selector(Path(given).name):
        # A file given by name is read even through a link: the user chose it.
        yield SourceItem(path=given, location=location)


def _is_archive(location: str) -> bool:
    return location.lower().endswith(".zip") and Path(location).is_file()


def _walk(
    given: str, folder: str, root: str, relative: str, selector: _Selector, *, visited: set[str]
) -> Iterator[SourceItem]:
    """Depth-first, sorted by name; links are followed only while they stay under ``root``."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        # An unreadable folder: its item's read raises the same OSError, an error row.
        yield SourceItem(path=str(Path(given) / relative) if relative else given, location=folder)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue  # hidden files and folders (.git, .DS_Store) are not documents
        rel = f"{relative}/{entry.name}" if relative else entry.name
        display = str(Path(given) / rel)
        target = entry.path
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            if not _inside(target, root):
                if selector(rel):
                    yield SourceItem(
                        path=display,
                        location=entry.path,
                        refusal=("unsafe_path", "symbolic link to a target outside the input"),
                    )
                continue
        if Path(target).is_dir():
            real = os.path.realpath(target)
            if real in visited:
                continue  # a link back to a folder already walked: a cycle
            visited.add(real)
            yield from _walk(given, entry.path, root, rel, selector, visited=visited)
        elif _is_archive(target):
            yield from _iter_archive(display, entry.path, selector, within=rel)
        elif selector(rel):
            yield SourceItem(path=display, location=entry.path, root=root)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _iter_archive(
    display: str, location: str, selector: _Selector, *, within: str | None = None
) -> Iterator[SourceItem]:
    """Members of a zip archive, from its central directory (nothing inflated here).

    A member is matched by its name, and (for an archive found in a folder, at
    ``within``) by ``within!name``, so ``old/*`` leaves out the members of ``old/a.zip``.
    """
    try:
        with zipfile.ZipFile(location) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        if selector(Path(display).name):
            yield SourceItem(
                path=display,
                location=location,
                refusal=("corrupt_file", f"unreadable zip archive: {error}"),
            )
        return
    for info in sorted(infos, key=lambda info: info.filename):
        name = info.filename
        refusal = _member_refusal(info)
        if refusal is None and (info.is_dir() or _hidden_member(name)):
            continue
        if selector(name, f"{within}{MEMBER_SEPARATOR}{name}" if within else name):
            member_path = f"{display}{MEMBER_SEPARATOR}{name}"
            yield SourceItem(path=member_path, location=location, member=name, refusal=refusal)


def _hidden_member(name: str) -> bool:
    """Hidden files, and the resource forks macOS adds to archives (``__MACOSX/``)."""
    parts = name.split("/")
    return any(part.startswith(".") for part in parts) or parts[0] == "__MACOSX"


def _member_refusal(info: zipfile.ZipInfo) -> tuple[str, str] | None:
    """Why a member must not be read at all, judged from its name and mode."""
    name = info.filename
    windows = PureWindowsPath(name)
    if name.startswith(("/", "\\")) or windows.drive or windows.root:
        return ("unsafe_path", "absolute member name")
    if ".." in name.replace("\\", "/").split("/"):
        return ("unsafe_path", "member name with a '..' part")
    if stat.S_ISLNK(info.external_attr >> 16):
        return ("unsafe_path", "symbolic link member")
    return None


def _read_file(location: str, *, root: str | None, display: str) -> bytes:
    if root is not None and not _inside(os.path.realpath(location), root):
        # Listed inside the folder, but swapped for a link leading out since.
        raise UnsafePath(path=display, detail="resolves outside the input")
    status = Path(location).stat()
    if stat.S_ISDIR(status.st_mode):
        next(os.scandir(location), None)  # raises why a listed folder could not be walked
        raise UnsupportedFormat(path=display, detail="a folder")
    if not stat.S_ISREG(status.st_mode):
        # Reading a FIFO or a device would hang or never end.
        raise UnsupportedFormat(path=display, detail="not a regular file")
    if status.st_size > MAX_FILE_BYTES:
        raise TooLarge(path=display, detail=f"{status.st_size} bytes > limit {MAX_FILE_BYTES}")
    with Path(location).open("rb") as stream:
        data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise TooLarge(path=display, detail=f"more than {MAX_FILE_BYTES} bytes")
    return data


def _read_member(location: str, member: str, *, display: str) -> bytes:
    archive = _archive(location)
    with _archive_lock:
        try:
            info = archive.getinfo(member)
        except KeyError as error:
            raise FileNotFoundError(f"no member {member} in {location}") from error
        # Judged from the central directory, before a byte is inflated.
        if info.file_size > MAX_FILE_BYTES:
            raise TooLarge(path=display, detail=f"{info.file_size} bytes > limit {MAX_FILE_BYTES}")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _BOMB_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise DecompressionBomb(path=display, detail=f"compresses {ratio:.0f}:1")
        try:
            with archive.open(info) as stream:
                # Never trust the declared size: read at most one byte past the limit.
                data = stream.read(MAX_FILE_BYTES + 1)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError) as error:
            # Bad CRC, an unknown compression method, or an encrypted member.
            raise CorruptFile(path=display, detail=f"unreadable zip member: {error}") from error
    if len(data) > MAX_FILE_BYTES:
        raise DecompressionBomb(path=display, detail=f"inflates past {MAX_FILE_BYTES} bytes")
    return data


# Each worker keeps the last few archives open: reopening one per member would
# parse its whole central directory again for every document.
_ARCHIVE_CACHE_SIZE = 4
_archive_cache: dict[tuple[str, int, int], zipfile.ZipFile] = {}
_archive_lock = threading.Lock()


def _archive(location: str) -> zipfile.ZipFile:
    status = Path(location).stat()
    key = (location, status.st_mtime_ns, status.st_size)
    with _archive_lock:
        archive = _archive_cache.pop(key, None)
        if archive is None:
            try:
                archive = zipfile.ZipFile(location)
            except zipfile.BadZipFile as error:
                raise CorruptFile(path=location, detail=f"unreadable zip: {error}") from error
        _archive_cache[key] = archive  # most recently used last
        while len(_archive_cache) > _ARCHIVE_CACHE_SIZE:
            oldest = next(iter(_archive_cache))
            _archive_cache.pop(oldest).close()
        return archive
