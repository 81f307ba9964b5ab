"""What every field extractor receives, and what it returns.

A :class:`Context` is built once per document (normalized text, lines, zones,
section tree); extractors are pure functions of it. A :class:`Found` carries a
value with the spans of normalized text it was read from.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, Protocol, TypeVar, cast, overload

from extractor.document import Document
from extractor.structure import Line, Section, Structure, Zone, analyze

# Covariant: a Found[str] is usable wherever a Found[object] is expected.
#: How many opening lines the line classifier reads (header and title live there).
MODEL_LINES = 30
T = TypeVar("T", covariant=True)
R = TypeVar("R")
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Found(Generic[T]):
    """An extracted value and where it came from (offsets into the normalized text)."""

    value: T
    spans: tuple[Span, ...] = field(default=())


class _Predictor(Protocol):
    def predict(self, features: list[dict[str, float]]) -> list[str]: ...


class _LineRoles(Sequence[str]):
    """The classifier's line roles, predicted on first read, a prefix at a time.

    A line's features depend on its own text, its neighbours' and its place,
    and each row is scored on its own, so a prefix gives the same roles as
    the whole opening at once.
    """

    def __init__(self, structure: Structure, model: _Predictor) -> None:
        self._structure = structure
        self._model = model
        self._roles: list[str] = []
        self._count = len(structure.lines)

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            indices = range(*index.indices(self._count))
            # A slice is classified in one go, not grown a line at a time.
            last = max(indices[0], indices[-1]) if indices else -1
            wanted = min(last + 1, MODEL_LINES)
            if wanted > len(self._roles):
                self._predict(wanted)
            return [self[i] for i in indices]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        if index >= MODEL_LINES:
            return ""
        if index >= len(self._roles):
            self._predict(index + 1)
        return self._roles[index]

    def _predict(self, wanted: int) -> None:
        from extractor.classify.features import line_features

        # Grow geometrically; a line's features do not depend on how many are
        # read, so only the new lines are featurized.
        limit = min(MODEL_LINES, max(wanted, 2 * len(self._roles), _FIRST_ROLES))
        done = len(self._roles)
        features = line_features(self._structure, limit=limit, start=done)
        self._roles.extend(str(role) for role in self._model.predict(features))


#: How many lines the first read of a role classifies: the issuing body's
#: lines open the header, and most documents read no further.
_FIRST_ROLES = 2


@dataclass(frozen=True)
class Context:
    """A document prepared for field extraction.

    >>> text = "KẾ HOẠCH\\nvề X\\nI. MỤC ĐÍCH\\nNơi nhận:\\n- Lưu VT."
    >>> ctx = Context.of(Document.from_text(text))
    >>> [line.text for line in ctx.lines_in("closing")]
    ['Nơi nhận:', '- Lưu VT.']
    """

    document: Document
    structure: Structure
    #: False runs the rules alone (the baseline ``make eval`` compares against).
    use_models: bool = True
    _memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key: str, compute: Callable[[], R]) -> R:
        """Compute a per-document intermediate once (the closing block, the slots).

        Several field families read the same intermediate; the cache lives
        and dies with the Context, so nothing is shared between documents.
        """
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(R, self._memo[key])

    @classmethod
    def of(
        cls, document: Document, *, use_models: bool = True, structure: Structure | None = None
    ) -> Context:
        """Analyze ``document`` (unless ``structure``, its analysis, is given) and wrap it."""
        return cls(document, analyze(document) if structure is None else structure, use_models)

    @property
    def model_line_roles(self) -> Sequence[str] | None:
        """The trained classifier's role of each of the first lines, or None (no model, rules only).

        Only the opening lines are classified (header, title: where the
        fields use the roles), so the model costs little per document; later
        lines get "". A line is classified when its role is first read: the
        fields mostly read the few header lines.
        """

        def compute() -> _LineRoles | None:
            from extractor.classify.model import default_model

            model = default_model() if self.use_models else None
            if model is None or not self.structure.lines:
                return None
            return _LineRoles(self.structure, model)

        return self.memo("line_roles", compute)

    @property
    def text(self) -> str:
        """The normalized text every span points into."""
        return self.document.normalized

    def lines_in(self, *zones: Zone) -> tuple[Line, ...]:
        """The lines of the given zones, in order (computed once per zone set)."""
        return self.memo(f"lines:{','.join(zones)}", lambda: self._lines_in(zones))

    def _lines_in(self, zones: tuple[Zone, ...]) -> tuple[Line, ...]:
        # What ``Structure.lines_in`` gives, from the zones' runs of lines
        # found in one pass: each zone set no longer walks every line.
        runs = self.memo("zone_runs", self._zone_runs)
        lines = self.structure.lines
        spans = sorted(span for zone in set(zones) for span in runs.get(zone, ()))
        if len(spans) == 1:
            return lines[spans[0][0] : spans[0][1]]
        return tuple(line for start, end in spans for line in lines[start:end])

    def _zone_runs(self) -> dict[str, list[tuple[int, int]]]:
        """The ``(first, past-last)`` line indices of each zone's runs, in order."""
        runs: dict[str, list[tuple[int, int]]] = {}
        start = 0
        for zone, group in itertools.groupby(self.structure.zones):
            end = start + len(list(group))
            runs.setdefault(zone, []).append((start, end))
            start = end
        return runs

    @cached_property
    def sections(self) -> tuple[Section, ...]:
        """Every numbered section (bullets excluded), in document order."""
        return tuple(s for s in self.structure.walk() if s.kind != "bullet")

    def zone_text(self, *zones: Zone) -> tuple[int, str]:
        """The text from the first to the last line of ``zones``, with its start offset."""
        lines = self.lines_in(*zones)
        if not lines:
            return 0, ""
        return lines[0].start, self.text[lines[0].start : lines[-1].end]
