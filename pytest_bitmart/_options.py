"""Every option of every rule kind and of ``bitmart_codes`` and ``bitmart_faults``, defined once.

One ``Kind`` per rule kind lists its options; each ``Option`` carries the check that validates (and
normalises) a value, and the words the marker help and the reference page show. Rules, markers, the
``bitmart_mock`` methods and the selection all validate through these definitions, so adding an option
is one ``Option(...)`` here plus the code that uses its value.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard, get_args
from urllib.parse import quote

from ._catalog import FAMILIES, SOURCES, UnknownCodeError, lookup
from ._faults import FaultKind, faults

__all__ = [
    "CODES",
    "ERROR",
    "FAULT",
    "FAULTS",
    "HTTP_ERROR",
    "KINDS",
    "METHODS",
    "OK",
    "Kind",
    "Option",
    "OptionError",
    "did_you_mean",
    "family_problem",
    "fault_problem",
    "is_int",
    "json_problem",
    "marker_help",
    "reference_rows",
    "source_problem",
    "unknown_option",
]

METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
# Characters that never appear in a BitMart path but always in a pattern: a sign the user meant a regex.
_REGEX_HINTS = frozenset("^$*+?()[]{}|\\")
# What clients send unencoded in a path (RFC 3986 pchar and "/"); "%" keeps an already encoded path as is.
_PATH_SAFE = "/-._~!$&'()*+,;=:@%"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# RFC 9110 token characters: what a header name may contain.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Headers the transport writes from the body it sends; a rule setting them would contradict it.
_TRANSPORT_HEADERS = frozenset({"content-length", "transfer-encoding", "connection"})
_FIELD_VALUE = re.compile(r"[\t\x20-\x7e]*")
# Longer than any test waits, and finite: inf and nan are refused, and an int this size still makes a float.
_LONGEST_DELAY = 1e9
_HOST_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?")


class OptionError(ValueError):
    """A value an option cannot take; the message says why and, where there is one, the fix."""

    option: str | None = None
    """The option's name, once ``Kind.check`` knows it."""


def is_int(value: object) -> TypeGuard[int]:
    """Whether ``value`` is an int and not a bool (``True == 1``, but ``True`` is never a count or a code)."""
    return _is_a(value, int)


def _is_a(value: object, kind: type | tuple[type, ...]) -> bool:
    """``isinstance``, except that a bool is not taken for an int (nor for a number)."""
    return isinstance(value, kind) and not isinstance(value, bool)


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or nothing when none is close."""
    close = difflib.get_close_matches(str(word), list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_option(names: Iterable[str], allowed: Sequence[str], origin: str) -> str | None:
    """The message for the first of ``names`` that ``origin()`` does not take, or ``None``."""
    for name in names:
        if name not in allowed:
            return (
                f"{origin}() got an unknown option {name!r}{did_you_mean(name, allowed)}; it takes {', '.join(allowed)}"
            )
    return None


# Values a rule serves ---------------------------------------------------------------------------------


def json_problem(value: object, where: str) -> str | None:
    """Why ``value`` cannot be served as strict JSON (``where`` names it), or ``None`` if it can.

    Strict: JSON types only (dict with str keys, list/tuple, str, int, finite float, bool, None), text that
    encodes as UTF-8 (no lone surrogate), and ints short enough to print.
    """
    if value is None or isinstance(value, (str, int, float)):
        return _scalar_problem(value, where)
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"{where} has the key {key!r}; JSON object keys are strings, write {str(key)!r}"
            problem = _text_problem(key, f"the key {where}[...]") or json_problem(item, f"{where}[{key!r}]")
            if problem:
                return problem
        return None
    if isinstance(value, (list, tuple)):
        problems = (json_problem(item, f"{where}[{index}]") for index, item in enumerate(value))
        return next((problem for problem in problems if problem), None)
    hint = "; use a list" if isinstance(value, (set, frozenset)) else ""
    hint = "; decode it to str" if isinstance(value, (bytes, bytearray)) else hint
    return f"{where} is of type {type(value).__name__}, not a JSON value{hint}"


def _scalar_problem(value: str | float | None, where: str) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return _text_problem(value, where)
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{where} is {value!r}, which JSON cannot carry; use null or a number"
    try:
        str(value)
    except ValueError:
        return f"{where} is an int too large to write as JSON"
    return None


def _text_problem(text: str, where: str) -> str | None:
    try:
        text.encode()
    except UnicodeEncodeError:
        return f"{where} has a lone surrogate ({text!r}) that cannot be sent as UTF-8"
    return None


# Checks: each takes a value that is not None and returns it normalised, or raises OptionError ----------


def _method(value: object) -> str:
    if not isinstance(value, str) or value.upper() not in METHODS:
        raise OptionError(f"method must be one of {', '.join(METHODS)}, got {value!r}")
    return value.upper()


def _times(value: object) -> int:
    if not is_int(value) or value < 1:
        raise OptionError(f"times must be a whole number of at least 1 (or None for every request), got {value!r}")
    return value


def _path(value: object) -> str | re.Pattern[str]:
    if isinstance(value, re.Pattern):
        if not isinstance(value.pattern, str):
            raise OptionError(f"path pattern {value!r} is a bytes pattern; URL paths are text, write re.compile(str)")
        return value
    if not isinstance(value, str):
        raise OptionError(f"path must be a string or a compiled regular expression, got {value!r}")
    _check_url_parts(value)
    if _REGEX_HINTS.intersection(value):
        try:
            re.compile(value)
        except re.error as error:
            raise OptionError(
                f"path {value!r} is neither a URL path nor a valid regular expression ({error}); "
                "pass the exact path, such as '/spot/v1/wallet', or a pattern with re.compile(...)"
            ) from None
        raise OptionError(
            f"path {value!r} looks like a regular expression but a string path matches exactly; "
            f"pass re.compile({value!r}) to match a pattern"
        )
    if not value.startswith("/"):
        raise OptionError(f"path must start with '/' (the URL path, without host or query), got {value!r}")
    if "<" in value or ">" in value:
        raise OptionError(
            f"path {value!r} looks like a template; a string path matches exactly: write the real path, "
            r"or a pattern such as re.compile(r'^/spot/v1/[^/]+$')"
        )
    problem = _text_problem(value, f"path {value!r}")
    if problem:
        raise OptionError(problem)
    if any(segment in {".", ".."} for segment in value.split("/")):
        raise OptionError(
            f"path {value!r} has a '.' or '..' segment, which clients resolve before sending; write the resolved path"
        )
    # Clients percent-encode spaces, non-ASCII characters and a '%' that starts no escape; compare with
    # what they send.
    return quote(_LONE_PERCENT.sub("%25", value), safe=_PATH_SAFE)


def _check_url_parts(value: str) -> None:
    bare, query_mark, _ = value.partition("?")
    bare = bare.partition("#")[0]
    # "/spot/v1/wallet?limit" is a URL with a query, not a pattern: say that, not "use re.compile".
    if query_mark and not _REGEX_HINTS.intersection(bare):
        raise OptionError(
            f"path {value!r} has a query string, but rules match the URL path only (the query is ignored); "
            f"write path={bare!r}"
        )
    if "#" in value:
        raise OptionError(f"path {value!r} has a fragment, which clients never send; write path={bare!r}")


def _host(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise OptionError(f"host must be a bare host name such as 'api-cloud.bitmart.com', got {value!r}")
    host = value.strip().lower()
    if "://" in host or "/" in host:
        bare = host.partition("://")[2] or host
        bare = bare.partition("/")[0].rpartition("@")[2].partition(":")[0]
        raise OptionError(f"host {value!r} is a URL; rules match the host name only: write host={bare!r}")
    name, colon, _ = host.partition(":")
    if colon:
        raise OptionError(f"host {value!r} has a port; rules match the host name only: write host={name!r}")
    host = host.removesuffix(".")  # "api-cloud.bitmart.com." is the same host, fully qualified
    if "*" in host:
        raise OptionError(
            f"host {value!r} has a wildcard; name one host, or leave host= out to match every BitMart host"
        )
    if not all(_HOST_LABEL.fullmatch(label) for label in host.split(".")):
        raise OptionError(f"host {value!r} is not a valid host name, such as 'api-cloud.bitmart.com'")
    return host


def _trace(value: object) -> str:
    if not isinstance(value, str):
        raise OptionError(f"trace must be a string, got {value!r}")
    if not value:
        raise OptionError("trace must not be empty; leave trace= out for a trace derived from the test")
    problem = _text_problem(value, "trace")
    if problem:
        raise OptionError(problem)
    return value


def _headers(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise OptionError(f"headers must be a mapping of str to str, got {value!r}")
    for name, text in value.items():
        if not isinstance(name, str) or not isinstance(text, str):
            raise OptionError(f"headers must be a mapping of str to str, got {name!r}: {text!r}")
        if not _TOKEN.fullmatch(name):
            raise OptionError(f"header name {name!r} is not a valid HTTP header name (letters, digits and -)")
        if name.lower() in _TRANSPORT_HEADERS:
            raise OptionError(f"header {name!r} is written by the transport from the body; leave it out")
        if "\r" in text or "\n" in text or "\0" in text:
            raise OptionError(f"header {name!r} has a line break or NUL in its value {text!r}; remove it")
        if not _FIELD_VALUE.fullmatch(text):
            # Latin-1 is legal on the wire, but httpx refuses anything but ASCII: keep to what every client reads.
            raise OptionError(
                f"header {name!r} has a value not every client can read ({text!r}); use printable ASCII, "
                "percent-encoding the rest"
            )
    return dict(value)


def _message_args(value: object) -> tuple[object, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise OptionError(f"message_args must be a tuple or list of values, got {value!r}")
    for index, item in enumerate(value):
        if not _is_a(item, (str, int, float)):
            raise OptionError(f"message_args[{index}] must be a str or a number, got {item!r}")
        problem = json_problem(item, f"message_args[{index}]")
        if problem:
            raise OptionError(problem)
    return tuple(value)


def _variant(value: object) -> str:
    # Which variants exist depends on the code: the rule checks the name against the code's variants.
    if not isinstance(value, str) or not value:
        raise OptionError(f"variant must be a variant's name such as 'futures-docs', got {value!r}")
    return value


def _http_status(value: object) -> int:
    # Any status a client can be handed, so a test can pin how it copes with e.g. a 200 carrying an error.
    if not is_int(value) or not 100 <= value <= 599:
        raise OptionError(f"http_status must be an HTTP status between 100 and 599, got {value!r}")
    return value


def _delay(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < _LONGEST_DELAY:
        raise OptionError(f"delay must be a number of seconds, 0 or more, got {value!r}")
    return float(value)


def _family(value: object) -> str:
    if value not in FAMILIES:
        raise OptionError(family_problem(str(value)))
    return str(value)


def _data(value: object) -> object:
    problem = json_problem(value, "data")
    if problem:
        raise OptionError(problem)
    return value


# bitmart_codes checks: one value or a list of them -----------------------------------------------------


def family_problem(family: str) -> str:
    """The message for an unknown family name, with the nearest one."""
    return f"unknown BitMart family {family!r}{did_you_mean(family, FAMILIES)}; the families are {', '.join(FAMILIES)}"


def source_problem(source: str) -> str:
    """The message for an unknown source name, with the nearest one."""
    return f"unknown BitMart source {source!r}{did_you_mean(source, SOURCES)}; the sources are {', '.join(SOURCES)}"


def _an(kind: type) -> str:
    return f"an {kind.__name__}" if kind.__name__[0] in "aeiou" else f"a {kind.__name__}"


def _several(kind: type, value: object) -> frozenset[Any]:
    values = [value] if _is_a(value, kind) else value
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise OptionError(f"expected {_an(kind)} or a list of them, got {value!r}")
    items = list(values)
    if not items or not all(_is_a(item, kind) for item in items):
        raise OptionError(f"expected {_an(kind)} or a non-empty list of them, got {value!r}")
    return frozenset(items)


def _named(known: Sequence[str], problem: Callable[[str], str]) -> Callable[[object], frozenset[str]]:
    """The check of a name from ``known`` (a family, a source) or a list of them."""

    def check(value: object) -> frozenset[str]:
        names = _several(str, value)
        unknown = sorted(names.difference(known))
        if unknown:
            raise OptionError(problem(unknown[0]))
        return names

    return check


_families = _named(FAMILIES, family_problem)
_sources = _named(SOURCES, source_problem)


def _statuses(value: object) -> frozenset[int]:
    return _several(int, value)


def _codes(value: object) -> frozenset[int]:
    codes = _several(int, value)
    for code in codes:
        try:
            entry = lookup(code)
        except UnknownCodeError as error:
            raise OptionError(str(error)) from None
        if entry.is_success:
            raise OptionError("1000 is the success code, not an error")
    return codes


# bitmart_faults checks: fault names or kinds --------------------------------------------------------

_FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)


def fault_problem(word: str) -> str | None:
    """The message for a word that names no fault and no kind of fault, or ``None`` when it names one."""
    known = [entry.name for entry in faults()] + list(_FAULT_KINDS)
    if word in known:
        return None
    close = difflib.get_close_matches(word, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return (
        f"unknown BitMart fault {word!r}{hint} (pytest_bitmart.faults() lists them; kinds: {', '.join(_FAULT_KINDS)})"
    )


def _fault_words(value: object) -> frozenset[str]:
    words = _several(str, value)
    problems = [problem for problem in map(fault_problem, sorted(words)) if problem]
    if problems:
        raise OptionError(problems[0])
    return words


def _fault_kinds(value: object) -> frozenset[str]:
    kinds = _several(str, value)
    for kind in sorted(kinds):
        if kind not in _FAULT_KINDS:
            raise OptionError(
                f"unknown fault kind {kind!r}{did_you_mean(kind, _FAULT_KINDS)}; "
                f"the kinds are {', '.join(_FAULT_KINDS)}"
            )
    return kinds


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise OptionError(f"must be True or False, got {value!r}")
    return value


# Definitions ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Option:
    """One option: its name, its check, and what the help and the reference page say about it."""

    name: str
    check: Callable[[object], object]
    default: str
    """The default as the docs' table shows it ("any", "every request")."""
    meaning: str
    shown_default: str = "None"
    """The default as the signature shows it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Kind:
    """A rule kind (or the ``bitmart_codes`` marker): its leading argument, options, marker and method."""

    name: str
    summary: str
    options: tuple[Option, ...]
    first: str | None = None
    """The positional argument (``code``, ``status``, ``data``), or None."""
    first_default: str | None = None
    marker: str | None = None
    method: str | None = None
    """The ``bitmart_mock`` method arming this kind."""

    @property
    def names(self) -> tuple[str, ...]:
        """The option names, in the order the signature lists them."""
        return tuple(option.name for option in self.options)

    def check(self, options: Mapping[str, object], origin: str) -> dict[str, Any]:
        """Every option normalised (``None`` where not given); raises :class:`OptionError` naming the option."""
        problem = unknown_option(options, self.names, origin)
        if problem:
            raise OptionError(problem)
        values: dict[str, Any] = {}
        for option in self.options:
            value = options.get(option.name)
            try:
                values[option.name] = None if value is None else option.check(value)
            except OptionError as error:
                error.option = option.name
                raise
        return values

    def signature(self, name: str) -> str:
        """``name(first, *, option=None, ...)`` as the marker help and the docs show it."""
        words = [] if self.first is None else [self.first + ("" if self.first_default is None else "=None")]
        words += ["*", *(f"{option.name}={option.shown_default}" for option in self.options)]
        return f"{name}({', '.join(words)})"


_FILTERS = (
    Option(
        name="method",
        check=_method,
        default="any",
        meaning="Only requests with this HTTP method (case-insensitive).",
    ),
    Option(
        name="path",
        check=_path,
        default="any",
        meaning=(
            "Only requests to this URL path: a string matches the path exactly (spaces and non-ASCII characters "
            "percent-encoded, as clients send them; a query string or fragment is refused), a `re.compile(...)` "
            "pattern is searched in it."
        ),
    ),
    Option(
        name="host",
        check=_host,
        default="any BitMart host",
        meaning=(
            'Only requests to this host, e.g. `"api-cloud-v2.bitmart.com"`: a host name the plugin answers, '
            "compared case-insensitively (a trailing dot is dropped; a URL, a port or a wildcard is refused)."
        ),
    ),
    Option(
        name="times",
        check=_times,
        default="every request",
        meaning="Answer the first `times` matching requests, then step aside for the next rule.",
    ),
)
_TRACE = Option(
    name="trace",
    check=_trace,
    default="derived",
    meaning=(
        "The body's `trace` (a non-empty string). By default a UUID derived from the test's node id and the "
        "request's index, the same on every rerun."
    ),
)
_HEADERS = Option(
    name="headers",
    check=_headers,
    default="none",
    meaning=(
        "Headers to add or replace on the response: names are HTTP tokens, values printable ASCII; "
        "`Content-Length`, `Transfer-Encoding` and `Connection` belong to the transport and are refused."
    ),
)
_DELAY = Option(
    name="delay",
    check=_delay,
    default="none",
    meaning=(
        "Seconds to hold the answer back, a number from 0 (awaited on async clients); longer than the client's "
        "read timeout, the client gets its own read-timeout error once that timeout has passed."
    ),
)

ERROR = Kind(
    name="error",
    first="code",
    marker="bitmart_error",
    method="error",
    summary=(
        "answer this test's BitMart requests with documented error `code`, exactly as BitMart sends it. "
        "Several markers are consulted top to bottom."
    ),
    options=(
        *_FILTERS,
        Option(
            name="message_args",
            check=_message_args,
            default="none",
            meaning=(
                "Values (str or numbers) for the message's `%s`/`%d` placeholders, in order (50008's message has "
                "one `%s`). Without them the message is served verbatim, placeholders included."
            ),
        ),
        _TRACE,
        _HEADERS,
        Option(
            name="variant",
            check=_variant,
            default="none",
            meaning=(
                "Serve another documented form of the code: a status or message BitMart's current API docs give "
                'instead of the error page, by name (`"futures-docs"`, `"spot-docs-2"`...). The '
                "[disagreements page](../codes/disagreements.md) lists every variant; an unknown name fails the "
                "test's setup and names the code's variants."
            ),
        ),
        Option(
            name="http_status",
            check=_http_status,
            default="the code's",
            meaning=(
                "Serve the code with another HTTP status, an `int` from 100 to 599 (BitMart's status and code are "
                "independent)."
            ),
        ),
        _DELAY,
    ),
)
HTTP_ERROR = Kind(
    name="http_error",
    first="status",
    marker="bitmart_http_error",
    method="http_error",
    summary=(
        "answer this test's BitMart requests with one of BitMart's global HTTP return codes (404, 403, 401, 500)."
    ),
    options=(*_FILTERS, _HEADERS, _DELAY),
)
OK = Kind(
    name="ok",
    first="data",
    first_default="None",
    method="ok",
    summary="answer matching requests with the documented success envelope (code 1000) carrying `data`.",
    options=(
        *_FILTERS,
        Option(
            name="family",
            check=_family,
            default="the endpoint's",
            meaning='The envelope\'s family (`"auth"`, `"funding"`, `"spot"`, `"contract"`, `"spot-public"`).',
        ),
        _TRACE,
        _HEADERS,
        _DELAY,
    ),
)
FAULT = Kind(
    name="fault",
    first="name",
    marker="bitmart_fault",
    method="fault",
    summary=(
        "answer this test's BitMart requests with a catalog fault (pytest_bitmart.faults()): a gateway body, a "
        "Cloudflare page, a broken body, or a failed connection raised as the client's own error."
    ),
    options=(*_FILTERS, _DELAY),
)
DATA = Option(name="data", check=_data, default="`{}`", meaning="The envelope's `data`: JSON values only.")

CODES = Kind(
    name="codes",
    marker="bitmart_codes",
    summary="narrow the documented codes a test using the bitmart_error fixture runs with.",
    options=(
        Option(
            name="family",
            check=_families,
            default="all",
            meaning='`"auth"`, `"funding"`, `"spot"`, `"contract"`, `"spot-public"` (market data), or a list of them.',
        ),
        Option(
            name="source",
            check=_sources,
            default="all",
            meaning='Where the code is documented: `"error-page"`, `"spot-docs"`, `"futures-docs"`, or a list of them.',
        ),
        Option(name="http_status", check=_statuses, default="all", meaning="One HTTP status or a list."),
        Option(name="include", check=_codes, default="all", meaning="Only these codes (a list)."),
        Option(name="exclude", check=_codes, default="none", meaning="Not these codes (a list)."),
        Option(
            name="times",
            check=_times,
            default="every request",
            meaning=(
                "How many requests each code answers before later rules (such as `bitmart_mock.ok()`) get their turn."
            ),
        ),
        Option(
            name="http_failures",
            check=_flag,
            default="`False`",
            shown_default="False",
            meaning="Also run the four global HTTP failures (ids `http-404`...); `True` or `False`.",
        ),
    ),
)

FAULTS = Kind(
    name="faults",
    marker="bitmart_faults",
    summary=(
        "narrow the faults a test using the bitmart_fault or bitmart_failure fixture runs with (names, or kinds: "
        "response, cut, transport)."
    ),
    options=(
        Option(
            name="include",
            check=_fault_words,
            default="all",
            meaning="Only these faults: a fault's name or a kind (`response`, `cut`, `transport`), or a list of them.",
        ),
        Option(
            name="exclude",
            check=_fault_words,
            default="none",
            meaning="Not these faults: names or kinds, as for `include`.",
        ),
        Option(
            name="kind",
            check=_fault_kinds,
            default="all",
            meaning="Only faults of this kind (`response`, `cut`, `transport`), or a list of kinds.",
        ),
        Option(
            name="times",
            check=_times,
            default="every request",
            meaning="How many requests each fault answers before later rules get their turn.",
        ),
    ),
)

KINDS = (ERROR, HTTP_ERROR, OK, FAULT)


def marker_help() -> tuple[str, ...]:
    """The ``markers`` ini lines ``pytest --markers`` shows, one per marker, from the definitions."""
    return tuple(f"{kind.signature(kind.marker)}: {kind.summary}" for kind in (*KINDS, CODES, FAULTS) if kind.marker)


def reference_rows(kind: Kind) -> str:
    """The Markdown table rows of ``kind``'s options for the reference page (a test keeps the page equal)."""
    return "\n".join(f"| `{option.name}` | {option.default} | {option.meaning} |" for option in kind.options)
