"""MTS call details as XML ("Детализация разговоров", format XML in the Virtual Manager).

The real file names only subscriber numbers, never the personal account::

    <?xml version="1.0" encoding="UTF-8"?>
    <Report operator="ПАО «МТС»" inn="7740000076" address="..." title="Детализация разговоров"
            client="ТОО «Кабинет»" created="05.11.2026 00:00:00">
      <ds sd="01.10.2026" ed="31.10.2026" n="79161234567" tp="Бизнес Безлимит">
        <i d="01.10.2026 09:15:02" n="79031234567" s="Исходящий звонок" du="125" c="1.50"/>
        ...
        <sum cnt="40" du="19777" c="136.60"/>
      </ds>
      ...
      <total cnt="80" du="37784" c="272.67"/>
    </Report>

The operator is identified by the root's ``operator`` and ``inn`` attributes (legal name
and tax id as in REQUISITES). ``<sum>`` closes each section with its totals and
``<total>`` is their sum.

Files reach 100+ MB, so records are generated and written as a stream: each number's
calls come from their own seeded generator, already in time order, and nothing of the
document is kept in memory. The calls therefore differ from ``generate_calls`` (which
sorts a whole list); the same spec still always gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import pathlib
import random
from collections.abc import Callable, Iterator
from xml.sax.saxutils import quoteattr

from robots.domain import DocumentKind, Operator
from sandbox.documents.model import REQUISITES, DocumentSpec

_SERVICES = ("Исходящий звонок", "Входящий звонок", "SMS", "Интернет")
_BATCH = 2000  # records per write call


@dataclasses.dataclass
class _Totals:
    count: int = 0
    seconds: int = 0
    kopecks: int = 0

    def add(self, other: _Totals) -> None:
        self.count += other.count
        self.seconds += other.seconds
        self.kopecks += other.kopecks

    def element(self, tag: str) -> str:
        return f'<{tag} cnt="{self.count}" du="{self.seconds}" c="{_money(self.kopecks)}"/>\n'


def _money(kopecks: int) -> str:
    return f"{kopecks // 100}.{kopecks % 100:02d}"


def render_xml(spec: DocumentSpec) -> bytes:
    """Render MTS call details as XML bytes (for small documents; see write_xml).

    Args:
        spec: MTS call details with at least one number.

    Returns:
        The UTF-8 document, identical for equal specs and to what write_xml writes.

    Raises:
        ValueError: Not MTS call details, or no numbers.
    """
    out = io.StringIO()
    _write(spec, out.write)
    return out.getvalue().encode("utf-8")


def write_xml(spec: DocumentSpec, path: pathlib.Path) -> None:
    """Stream MTS call details to ``path`` in constant memory, whatever their size.

    Args:
        spec: MTS call details; ``numbers`` x ``calls_per_number`` records (about
            100 bytes each: 1.5 million records make a 150 MB file).
        path: The file to create or overwrite.

    Raises:
        ValueError: Not MTS call details, or no numbers.
    """
    _check(spec)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        _write(spec, out.write)


def _check(spec: DocumentSpec) -> None:
    if (spec.operator, spec.kind) != (Operator.MTS, DocumentKind.CALL_DETAILS):
        raise ValueError(f"only MTS call details come as XML, not {spec.operator} {spec.kind}")
    if not spec.numbers:
        raise ValueError("call details need at least one subscriber number")


def _write(spec: DocumentSpec, write: Callable[[str], object]) -> None:
    _check(spec)
    req = REQUISITES[Operator.MTS]
    sd, ed = f"{spec.period.first_day:%d.%m.%Y}", f"{spec.period.last_day:%d.%m.%Y}"
    write('<?xml version="1.0" encoding="UTF-8"?>\n')
    write(
        f"<Report operator={quoteattr(req.legal_name)} inn={quoteattr(req.tax_id)}"
        f" address={quoteattr(req.address)} title={quoteattr('Детализация разговоров')}"
        f' client={quoteattr(spec.customer.name)} created="{spec.issued_on:%d.%m.%Y} 00:00:00">\n'
    )
    seed = spec.rng.getrandbits(64)
    grand = _Totals()
    for number in sorted(set(spec.numbers)):
        write(f'<ds sd="{sd}" ed="{ed}" n="{number}" tp="Бизнес Безлимит">\n')
        section = _Totals()
        batch: list[str] = []
        for when, other, service, seconds, kopecks in _calls(spec, number, seed):
            batch.append(
                f'<i d="{when}" n="{other}" s="{service}" du="{seconds}" c="{_money(kopecks)}"/>\n'
            )
            section.count += 1
            section.seconds += seconds
            section.kopecks += kopecks
            if len(batch) == _BATCH:
                write("".join(batch))
                batch.clear()
        write("".join(batch))
        write(section.element("sum"))
        write("</ds>\n")
        grand.add(section)
    write(grand.element("total"))
    write("</Report>\n")


def _calls(spec: DocumentSpec, number: str, seed: int) -> Iterator[tuple[str, str, str, int, int]]:
    """One number's calls in time order: (when, other party, service, seconds, kopecks).

    The month is cut into ``calls_per_number`` equal slots with one call at a random
    moment of each, so the stream is sorted without holding it.
    """
    rng = random.Random(f"{seed}|{number}")
    first = spec.period.first_day
    days = (spec.period.last_day - first).days + 1
    day_names = [f"{first + dt.timedelta(days=d):%d.%m.%Y}" for d in range(days)]
    slot = days * 86400 / spec.calls_per_number if spec.calls_per_number else 0
    prefix = number[:-7]
    for i in range(spec.calls_per_number):
        moment = int((i + rng.random()) * slot)
        day, rest = divmod(moment, 86400)
        when = f"{day_names[day]} {rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}"
        service = _SERVICES[rng.randrange(4)]
        seconds = rng.randint(5, 1800) if service.endswith("звонок") else 0
        kopecks = 0 if service == "Входящий звонок" else rng.randint(0, 900)
        yield when, f"{prefix}{rng.randint(1000000, 9999999)}", service, seconds, kopecks
