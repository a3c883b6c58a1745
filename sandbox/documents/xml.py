"""MTS call details as XML ("Детализация разговоров", format XML in the Virtual Manager).

The layout is the one public parsers of real MTS Business files read (baldmaxim/FOT,
``fot-server/src/services/mts-business-cdr.service.ts`` and its test
``mts-business-cdr.service.test.ts``): a bare ``<Report>`` with no legal name, no tax
id and no personal account; one ``<ds>`` per subscriber number holding one ``<i>`` per
record, data in attributes::

    <?xml version="1.0" encoding="utf-8"?>
    <Report>
    <ds sd="01.10.2026" ed="31.10.2026" n="79161234567" t="0" f="0" type="Сетевой ресурс"
        sim="8970101...">
    <i d="01.10.2026 9:36:11" n="&lt;--+79152763968" zp="VoLTE" s="Телеф." du="1:10" c="0"/>
    <i d="01.10.2026 12:40:48" n="+79857422174" zp="VoLTE" s="Телеф." du="0:27" c="1.50"/>
    <i d="02.10.2026 0:24:32" n="internet.mts.ru" s="4G" du="250Kb" c="0"/>
    </ds>
    ...
    <tp sim="79161234567" t="Сетевой ресурс" u="Иванов Иван Иванович" ed="31.10.2026">
    <ds n="Телефония" c="12.50"/>
    </tp>
    </Report>

As the sources show it: the record's date with an unpadded hour, ``<--`` before an
incoming party (escaped ``&lt;--``), ``s="Телеф."`` with ``du`` as minutes:seconds for a
call, ``du`` in Kb for traffic; ``<tp sim= u=>`` names each number's user, and service
summaries under ``<tp>`` are ``<ds>`` too, with a service name for ``n`` and no dates.
Assumed (no public sample shows it): ``<tp>`` after the detail sections, ``c`` as
roubles with a dot, ``s="SMS" du="1"`` for a message, the ICCID-like ``sim`` of ``<ds>``.

Files reach 100+ MB, so records are generated and written as a stream: each number's
calls come from their own seeded generator, already in time order, and nothing of the
document but a total per number is kept in memory. The same spec always gives the same
bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import pathlib
import random
from collections.abc import Callable, Iterator
from xml.sax.saxutils import quoteattr

from robots.domain import DocumentKind, Operator
from sandbox.documents.model import DocumentSpec

_BATCH = 2000  # records per write call
_USERS = (
    "Иванов Иван Иванович",
    "Петрова Анна Сергеевна",
    "Сидоров Павел Андреевич",
    "Кузнецова Мария Олеговна",
)


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


def _money(kopecks: int) -> str:
    return "0" if kopecks == 0 else f"{kopecks // 100}.{kopecks % 100:02d}"


def _write(spec: DocumentSpec, write: Callable[[str], object]) -> None:
    _check(spec)
    sd, ed = f"{spec.period.first_day:%d.%m.%Y}", f"{spec.period.last_day:%d.%m.%Y}"
    write('<?xml version="1.0" encoding="utf-8"?>\n<Report>\n')
    seed = spec.rng.getrandbits(64)
    numbers = sorted(set(spec.numbers))
    charged: dict[str, tuple[int, int]] = {}
    for number in numbers:
        sim = f"897010{int(number) % 10**13:013d}"
        write(
            f'<ds sd="{sd}" ed="{ed}" n="{number}" t="0" f="0" type="Сетевой ресурс" sim="{sim}">\n'
        )
        calls = internet = 0
        batch: list[str] = []
        for record, kopecks in _records(spec, number, seed):
            batch.append(record)
            if 's="4G"' in record:
                internet += kopecks
            else:
                calls += kopecks
            if len(batch) == _BATCH:
                write("".join(batch))
                batch.clear()
        write("".join(batch))
        write("</ds>\n")
        charged[number] = (calls, internet)
    for index, number in enumerate(numbers):
        calls, internet = charged[number]
        user = quoteattr(_USERS[index % len(_USERS)])
        write(f'<tp sim="{number}" t="Сетевой ресурс" u={user} ed="{ed}">\n')
        write(f'<ds n="Телефония" c="{_money(calls)}"/>\n')
        write(f'<ds n="Мобильный интернет" c="{_money(internet)}"/>\n')
        write("</tp>\n")
    write("</Report>\n")


def _records(spec: DocumentSpec, number: str, seed: int) -> Iterator[tuple[str, int]]:
    """One number's records in time order, as ``<i …/>`` lines with their charge.

    The month is cut into ``calls_per_number`` equal slots with one record at a random
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
        when = f"{day_names[day]} {rest // 3600}:{rest // 60 % 60:02d}:{rest % 60:02d}"
        other = f"+{prefix}{rng.randint(1000000, 9999999)}"
        kind = rng.randrange(4)
        if kind == 0:  # incoming call
            seconds = rng.randint(5, 1800)
            du, kopecks = f"{seconds // 60}:{seconds % 60:02d}", 0
            party, service = f"&lt;--{other}", 's="Телеф."'
            extra = ' zp="VoLTE"'
        elif kind == 1:  # outgoing call
            seconds = rng.randint(5, 1800)
            du, kopecks = f"{seconds // 60}:{seconds % 60:02d}", rng.randint(0, 900)
            party, service, extra = other, 's="Телеф."', ' zp="VoLTE"'
        elif kind == 2:  # message
            du, kopecks = "1", rng.randint(0, 300)
            party, service, extra = other, 's="SMS"', ""
        else:  # mobile internet session
            du, kopecks = f"{rng.randint(1, 90000)}Kb", 0
            party, service, extra = "internet.mts.ru", 's="4G"', ""
        yield (
            f'<i d="{when}" n="{party}"{extra} {service} du="{du}" c="{_money(kopecks)}"/>\n',
            kopecks,
        )
