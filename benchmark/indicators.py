"""Load and validate an indicator set (the benchmark) from YAML.

A bad file never raises a traceback at the user: :func:`load_indicator_set`
collects every problem it can find, each with the file and the line, and
raises :class:`IndicatorSetError` holding them all.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from benchmark.scales import Dimension, Pillar, SetStatus

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
M = TypeVar("M", bound=BaseModel)
CODE_PATTERN = re.compile(r"^(?P<pillar>[A-Z]+)-(?P<dimension>[A-Z]+)-(?P<number>[1-9][0-9]*)$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedText(_Strict):
    fr: Text
    en: Text

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr


class DimensionDef(_Strict):
    code: Dimension
    name: LocalizedText


class PillarDef(_Strict):
    code: Pillar
    name: LocalizedText
    definition: LocalizedText


class IndicatorDef(_Strict):
    code: Text
    text: LocalizedText


class _SetFile(_Strict):
    version: Text
    status: SetStatus
    source: str = ""
    dimensions: list[DimensionDef]
    pillars: list[PillarDef]
    indicators: list[IndicatorDef]


@dataclass(frozen=True)
class Indicator:
    code: str
    pillar: Pillar
    dimension: Dimension
    number: int
    text: LocalizedText


@dataclass(frozen=True)
class IndicatorSet:
    """A validated indicator set: indicators in source order."""

    version: str
    status: SetStatus
    source: str
    dimensions: tuple[DimensionDef, ...]
    pillars: tuple[PillarDef, ...]
    indicators: tuple[Indicator, ...]

    def by_code(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicators}

    def counts(self) -> dict[tuple[Pillar, Dimension], int]:
        """Number of indicators per (pillar, dimension), every cell present."""
        grid = {(p.code, d.code): 0 for p in self.pillars for d in self.dimensions}
        for ind in self.indicators:
            grid[(ind.pillar, ind.dimension)] += 1
        return grid

    def checksum(self) -> str:
        """A digest of the content (not the file's bytes: comments don't count)."""
        return hashlib.sha256(json.dumps(self.to_document(), sort_keys=True).encode()).hexdigest()

    def to_document(self) -> dict[str, Any]:
        """The set as plain data, in the YAML file's shape."""
        return {
            "version": self.version,
            "status": self.status.value,
            "source": self.source,
            "dimensions": [d.model_dump(mode="json") for d in self.dimensions],
            "pillars": [p.model_dump(mode="json") for p in self.pillars],
            "indicators": [{"code": i.code, "text": i.text.model_dump()} for i in self.indicators],
        }


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class ProblemsError(Exception):
    """A data file could not be loaded; ``problems`` says every reason, with lines."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class IndicatorSetError(ProblemsError):
    """The indicator set could not be loaded."""


class YamlLines:
    """The YAML data with, for every path in it, the 1-based line it starts on (also how
    the demo's files, ``app/demo``, name the place of a problem)."""

    def __init__(self, file: str):
        self.file = file
        self.lines: dict[tuple, int] = {}
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: tuple = ()) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            data: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(Problem(self.file, key_node.start_mark.line + 1, "a key must be a plain name"))
                    continue
                key = key_node.value
                if key in data:
                    self.problems.append(
                        Problem(self.file, key_node.start_mark.line + 1, f"duplicate key '{key}'")
                    )
                data[key] = self.build(value_node, (*path, key))
            return data
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)  # the composer makes no other kind of node
        return _scalar(node)

    def line_of(self, path: tuple) -> int | None:
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def add(self, path: tuple, message: str) -> None:
        self.problems.append(Problem(self.file, self.line_of(path), message))


def _scalar(node: yaml.ScalarNode) -> Any:
    """A scalar as the safe loader would construct it (ints, bools, strings)."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def dotted(loc: tuple) -> str:
    """A place in the data as one reads it: ``entries[3].description.fr``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_text(path: str | Path, error: type[ProblemsError] = ProblemsError) -> tuple[str, str]:
    """(the file's text, its name for problem messages); ``error`` if it cannot be read."""
    name = str(path)
    try:
        return Path(path).read_text(encoding="utf-8"), name
    except FileNotFoundError:
        raise error([Problem(name, None, "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error([Problem(name, None, f"cannot be read: {exc}")]) from None


def compose(source: str, name: str) -> tuple[Any, YamlLines]:
    """YAML text as plain data, with the line of every place in it; a syntax error or an
    empty file raises :class:`ProblemsError`. Duplicate keys are left in ``lines.problems``."""
    lines = YamlLines(name)
    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ProblemsError([Problem(name, line, f"YAML syntax error: {exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise ProblemsError([Problem(name, None, f"YAML syntax error: {exc}")]) from None
    if node is None:
        raise ProblemsError([Problem(name, 1, "the file is empty")])
    return lines.build(node), lines


def validated(source: str, name: str, model: type[M], error: type[ProblemsError],
              message: Callable[[Any], str] = lambda err: str(err["msg"])) -> tuple[M, YamlLines]:
    """YAML text validated by ``model``, with the line of every place in it; ``error`` with
    every problem (syntax, duplicate keys left in the lines, the model's) otherwise — also how
    ``benchmark/practices.py`` reads its file. ``message`` words a pydantic error."""
    try:
        data, lines = compose(source, name)
    except ProblemsError as exc:
        raise error(exc.problems) from None
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        for err in exc.errors():
            lines.add(err["loc"], f"{dotted(err['loc'])}: {message(err)}")
        raise error(lines.problems) from None


def load_indicator_set(path: str | Path) -> IndicatorSet:
    """Read and validate ``path``; raise :class:`IndicatorSetError` listing every problem."""
    return parse_indicator_set(*read_text(path, IndicatorSetError))


def parse_indicator_set(source: str, name: str = "<string>") -> IndicatorSet:
    """Validate YAML text; ``name`` is used in problem messages."""
    parsed, lines = validated(source, name, _SetFile, IndicatorSetError)
    indicators = _check_indicators(parsed, lines)
    if lines.problems:
        raise IndicatorSetError(lines.problems)
    return IndicatorSet(
        version=parsed.version,
        status=parsed.status,
        source=parsed.source,
        dimensions=tuple(parsed.dimensions),
        pillars=tuple(parsed.pillars),
        indicators=tuple(indicators),
    )


def _check_indicators(parsed: _SetFile, lines: YamlLines) -> list[Indicator]:
    """Codes well-formed, unique, of declared pillars and dimensions, numbered 1..n."""
    _check_unique([p.code for p in parsed.pillars], "pillars", "pillar", lines)
    _check_unique([d.code for d in parsed.dimensions], "dimensions", "dimension", lines)
    pillars = {p.code.value for p in parsed.pillars}
    dimensions = {d.code.value for d in parsed.dimensions}
    seen: dict[str, int] = {}
    numbers: dict[tuple[str, str], list[tuple[int, int]]] = {}
    result = []
    for i, item in enumerate(parsed.indicators):
        where = ("indicators", i, "code")
        match = CODE_PATTERN.match(item.code)
        if not match:
            lines.add(where, f"indicator code '{item.code}' is not of the form PILLAR-DIMENSION-N (e.g. GG-AMB-1)")
            continue
        if item.code in seen:
            first = lines.line_of(("indicators", seen[item.code], "code"))
            lines.add(where, f"duplicate indicator code '{item.code}' (first on line {first})")
            continue
        seen[item.code] = i
        pillar, dimension, number = match["pillar"], match["dimension"], int(match["number"])
        if pillar not in pillars:
            lines.add(where, f"indicator '{item.code}': unknown pillar '{pillar}' "
                             f"(declared: {', '.join(sorted(pillars))})")
            continue
        if dimension not in dimensions:
            lines.add(where, f"indicator '{item.code}': unknown dimension '{dimension}' "
                             f"(declared: {', '.join(sorted(dimensions))})")
            continue
        numbers.setdefault((pillar, dimension), []).append((number, i))
        result.append(Indicator(item.code, Pillar(pillar), Dimension(dimension), number, item.text))
    for (pillar, dimension), found in numbers.items():
        for expected, (number, i) in enumerate(sorted(found), start=1):
            if number != expected:
                lines.add(
                    ("indicators", i, "code"),
                    f"gap in numbering: {pillar}-{dimension}-{expected} is missing before "
                    f"{pillar}-{dimension}-{number}",
                )
                break
    return result


def _check_unique(codes: list, section: str, what: str, lines: YamlLines) -> None:
    seen: set = set()
    for i, code in enumerate(codes):
        if code in seen:
            lines.add((section, i, "code"), f"duplicate {what} '{code}'")
        seen.add(code)
