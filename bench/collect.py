"""Benchmark of one mail collection against the floor: just moving the bytes over IMAP.

``python bench/collect.py --messages N`` fills a fresh mailbox on a Dovecot of its own
with N operator messages of realistic sizes (most attachments 50-500 KB, one in a
hundred an MTS XML call-details file of 5-20 MB), then measures, each in a subprocess
of its own:

1. the floor: a plain imapclient loop that fetches every message (``BODY.PEEK[]``, in
   batches of the collector's default ``mail.fetch_batch_mb``) and throws the bytes away;
2. one collection, ``python -m cli.main collect --json``: its wall time and peak memory
   (the larger of its own peak RSS and the sampled peak PSS of it and its workers);
3. an incremental rerun on the unchanged mailbox, which must find nothing new.

Both timed steps are wall times of a fresh interpreter, start-up included. The floor runs
first: the collection moves the messages out of INBOX.

Every message carries a different document of a synthetic company (a few hundred
accounts at MTS, A1, Kcell and the SIP operator, two years of months, every kind and
format the operators send), so the collector really recognises and delivers each one.
Rendering thousands of PDFs and workbooks is slow (about 23 minutes for 10,000 on two
cores), so the messages are built on all cores and cached by content under
``var/bench-cache/v<GENERATOR_VERSION>/`` (about 3.3 GB for 10,000): a rerun, or a
smaller N with the same seed, reuses them. Bump GENERATOR_VERSION when the sandbox's
renderers change their output. Filling the mailbox is not part of the figures.

``--case pdf-invoices`` fills the mailbox instead with the commonest real month: PDF
invoices of MTS and the SIP operator, about 200 KB each, most of it the JPEG scan of the
signature and stamp printed under the invoice (``sandbox.documents.pdf.render_pdf``).

Usage::

    .venv/bin/python bench/collect.py --messages 10000 [--seed 1] [--workers 2] [--keep]
    .venv/bin/python bench/collect.py --case pdf-invoices --messages 1000

The last line of the output is one JSON object: ``case``, ``messages``, ``msgs_per_s``,
``floor_msgs_per_s``, ``ratio`` (collection over floor), ``peak_rss_mb`` and
``incremental_s``. Goals (GOALS): mixed at N = 10000, ratio >= 0.55; PDF invoices at
N = 1000, ratio >= 0.5; both, peak memory under 300 MB and incremental rerun under 2 s.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import io
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from functools import partial
from pathlib import Path

from config.models import MailSettings
from robots.domain import DocumentFormat, DocumentKind, Operator, Period
from sandbox.documents import DocumentSpec
from sandbox.documents.model import REQUISITES
from sandbox.documents.pdf import render_pdf
from sandbox.mails import document_message
from sandbox.mailserver import Mailbox, MailServer
from sandbox.world import SENDER_DOMAINS, SandboxAccount

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "var" / "bench-cache"
GENERATOR_VERSION = 3  # bump when the plan or the sandbox renderers change their output
USER = "bench"  # a fresh server each run: the address, and so the messages, are stable
PASSWORD_ENV = "BENCH_MAIL_PASSWORD"
# The floor fetches in the collector's batches: its default mail.fetch_batch_mb, and at
# most as many messages per round trip as robots.mail.collector._MAX_BATCH_MESSAGES.
FETCH_BATCH_BYTES = int(MailSettings.model_fields["fetch_batch_mb"].default) * 1_000_000
FETCH_BATCH_MESSAGES = 200
LARGE_EVERY = 100  # one message in a hundred carries a large XML call-details file
LARGE_BYTES = (5_000_000, 20_000_000)
USUAL_BYTES = (50_000, 500_000)
FIRST_PERIOD = Period(year=2024, month=11)
MONTHS = 24
SCAN_VERSION = 1  # bump when stamp_scan changes its output
INVOICE_OPERATORS = (Operator.MTS, Operator.SIP)  # those that send their invoices as PDF
CASES = ("mixed", "pdf-invoices")
GOALS: dict[str, dict[str, float]] = {
    "mixed": {"ratio": 0.55, "peak_rss_mb": 300.0, "incremental_s": 2.0},
    "pdf-invoices": {"ratio": 0.5, "peak_rss_mb": 300.0, "incremental_s": 2.0},
}

# -- the company ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Numbering:
    accounts: int  # how many personal accounts the company has at the operator
    account_prefix: str
    account_digits: int
    number_prefix: str  # subscriber numbers: prefix + serial, 11 (+7) or 12 (+375) digits
    numbers_per_account: tuple[int, int]


NUMBERING: dict[Operator, _Numbering] = {
    Operator.MTS: _Numbering(120, "2770", 12, "7916", (1, 10)),
    Operator.A1: _Numbering(60, "1234", 13, "37529", (1, 8)),
    Operator.KCELL: _Numbering(60, "104", 10, "7701", (1, 6)),
    Operator.SIP: _Numbering(40, "110", 10, "37517", (1, 4)),
}


def make_company(seed: int) -> tuple[SandboxAccount, ...]:
    """A few hundred accounts at the four operators, each with its subscriber numbers.

    Args:
        seed: the same seed gives the same company.

    Returns:
        The accounts; account ids and numbers are unique.
    """
    rng = random.Random(f"company|{seed}")
    accounts: list[SandboxAccount] = []
    for operator, plan in NUMBERING.items():
        width = plan.account_digits - len(plan.account_prefix)
        number_width = (11 if plan.number_prefix.startswith("7") else 12) - len(plan.number_prefix)
        account_serials = rng.sample(range(10**width), plan.accounts)
        serial = rng.randrange(1_000_000, 5_000_000)
        for account_serial in account_serials:
            count = rng.randint(*plan.numbers_per_account)
            numbers = tuple(
                f"{plan.number_prefix}{serial + k:0{number_width}d}" for k in range(count)
            )
            serial += count + rng.randrange(1, 50)
            account_id = f"{plan.account_prefix}{account_serial:0{width}d}"
            accounts.append(SandboxAccount(operator, account_id, numbers))
    return tuple(accounts)


def config_toml(*, port: int, company: Sequence[SandboxAccount], inbox: Path, state: Path) -> str:
    """The robot's configuration: plain IMAP on loopback, every account and number.

    Args:
        port: the IMAP port of the bench's mail server.
        company: the accounts to configure, grouped into one cabinet per operator.
        inbox: Tarifer's import folder.
        state: the robot's state directory (ledger).

    Returns:
        The text of a ``cabinet-robot.toml``; the password is read from PASSWORD_ENV.
    """
    lines = [
        "[mail]",
        'host = "127.0.0.1"',
        f"port = {port}",
        'security = "plain"',
        f'username = "{USER}"',
        f'password_env = "{PASSWORD_ENV}"',
        "",
        "[tarifer]",
        f'inbox = "{inbox}"',
        "",
        "[state]",
        f'dir = "{state}"',
    ]
    for operator in Operator:
        lines += [
            "",
            "[[cabinets]]",
            f'name = "{operator}-bench"',
            f'operator = "{operator}"',
            f'mail_from = ["@{SENDER_DOMAINS[operator]}"]',
            "download_hosts = []",
            "accounts = [",
        ]
        for account in company:
            if account.operator is operator:
                numbers = ", ".join(f'"{n}"' for n in account.numbers)
                lines.append(f'    {{ id = "{account.id}", numbers = [{numbers}] }},')
        lines.append("]")
    return "\n".join(lines) + "\n"


# -- the messages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Flavour:
    """One kind of document an operator e-mails, and how often."""

    kind: DocumentKind
    format: DocumentFormat
    weight: float
    bytes_per_call: float = 0  # size of one call record; 0: the layout fixes the size
    zipped: bool = False
    one_number: bool = False  # per-number call details (Kcell)


K, F = DocumentKind, DocumentFormat
FLAVOURS: dict[Operator, tuple[Flavour, ...]] = {
    Operator.MTS: (
        Flavour(K.INVOICE, F.PDF, 20),
        Flavour(K.RECONCILIATION_ACT, F.PDF, 5),
        Flavour(K.CALL_DETAILS, F.XML, 20, 87),
        Flavour(K.CALL_DETAILS, F.XML, 15, 21, zipped=True),
        Flavour(K.CALL_DETAILS, F.XLSX, 15, 42),
        Flavour(K.CALL_DETAILS, F.PDF, 10, 89),
        Flavour(K.CALL_DETAILS, F.HTML, 10, 122),
        Flavour(K.CALL_DETAILS, F.XLS, 5, 127),
    ),
    Operator.A1: (
        Flavour(K.INVOICE, F.XLSX, 20, zipped=True),
        Flavour(K.INVOICE, F.TXT, 5),
        Flavour(K.CALL_DETAILS, F.XLSX, 55, 54),
        Flavour(K.RECONCILIATION_ACT, F.PDF, 20),
    ),
    Operator.KCELL: (
        Flavour(K.CALL_DETAILS, F.XLS, 45, 137, one_number=True),
        Flavour(K.CALL_DETAILS, F.PDF, 15, 90, one_number=True),
        Flavour(K.WORK_ACT, F.PDF, 15),
        Flavour(K.WORK_ACT, F.XLSX, 10),
        Flavour(K.INVOICE_REGISTER, F.XLSX, 10),
        Flavour(K.RECONCILIATION_ACT, F.PDF, 5),
    ),
    Operator.SIP: (
        Flavour(K.INVOICE, F.PDF, 20),
        Flavour(K.INVOICE, F.XLS, 10),
        Flavour(K.CHARGES, F.XLSX, 10),
        Flavour(K.CALL_DETAILS, F.XLSX, 35, 43),
        Flavour(K.CALL_DETAILS, F.PDF, 25, 89),
    ),
}
OPERATOR_WEIGHTS = {Operator.MTS: 4, Operator.A1: 2, Operator.KCELL: 2, Operator.SIP: 2}
LARGE = Flavour(K.CALL_DETAILS, F.XML, 0, 87)


@dataclass(frozen=True)
class Planned:
    """One message of the bench: the document it carries, zipped or not."""

    spec: DocumentSpec
    zipped: bool
    scanned: bool = False  # a PDF with the operator's signature and stamp scan in it

    @property
    def key(self) -> str:
        """The message's name in the cache: a digest of everything that shapes its bytes."""
        text = f"{GENERATOR_VERSION}|{USER}|{self.zipped}|{self.spec!r}"
        if self.scanned:
            text += f"|scan {SCAN_VERSION}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def plan_messages(count: int, seed: int, company: Sequence[SandboxAccount]) -> list[Planned]:
    """``count`` messages with distinct documents; a smaller count plans a prefix.

    Args:
        count: how many messages.
        seed: the same seed gives the same messages.
        company: the accounts the documents are issued for.

    Returns:
        The messages in delivery order.
    """
    rng = random.Random(f"plan|{seed}")
    by_operator = {op: [a for a in company if a.operator is op] for op in Operator}
    periods = [FIRST_PERIOD]
    while len(periods) < MONTHS:
        periods.append(periods[-1].next())
    used: set[DocumentSpec] = set()
    planned: list[Planned] = []
    for index in range(count):
        large = index % LARGE_EVERY == LARGE_EVERY // 3
        for _attempt in range(50):
            item = _draw(rng, by_operator, periods, large)
            if _identity(item.spec) not in used:
                break
        else:  # the company ran out of fresh documents: a corrected re-issue
            item = _reissue(item, used)
        used.add(_identity(item.spec))
        planned.append(item)
    return planned


def _identity(spec: DocumentSpec) -> DocumentSpec:
    """What makes a document distinct: the spec without its size knob."""
    return dataclasses.replace(spec, calls_per_number=0)


def _reissue(item: Planned, used: set[DocumentSpec]) -> Planned:
    spec = item.spec
    while _identity(spec) in used:
        spec = dataclasses.replace(spec, seed=spec.seed + 1)
    return Planned(spec, item.zipped)


def _draw(
    rng: random.Random,
    by_operator: dict[Operator, list[SandboxAccount]],
    periods: list[Period],
    large: bool,
) -> Planned:
    """A random document of a random account and month (an MTS XML one when ``large``)."""
    if large:
        operator, flavour = Operator.MTS, LARGE
    else:
        operator = rng.choices(list(OPERATOR_WEIGHTS), list(OPERATOR_WEIGHTS.values()))[0]
        flavours = FLAVOURS[operator]
        flavour = rng.choices(flavours, [f.weight for f in flavours])[0]
    account = rng.choice(by_operator[operator])
    numbers = (rng.choice(account.numbers),) if flavour.one_number else account.numbers
    calls = 40
    if flavour.bytes_per_call:
        calls = max(5, round(_target_size(rng, large) / (flavour.bytes_per_call * len(numbers))))
    spec = DocumentSpec(
        operator=operator,
        kind=flavour.kind,
        format=flavour.format,
        account=account.id,
        period=rng.choice(periods),
        numbers=numbers,
        calls_per_number=calls,
    )
    return Planned(spec, flavour.zipped)


def _target_size(rng: random.Random, large: bool) -> float:
    """Attachment size to aim at: uniform over LARGE_BYTES, log-uniform over USUAL_BYTES."""
    if large:
        return rng.uniform(*LARGE_BYTES)
    low, high = USUAL_BYTES
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def plan_invoices(count: int, seed: int, company: Sequence[SandboxAccount]) -> list[Planned]:
    """``count`` PDF invoices of the operators that send them, each with its stamp scan.

    A month of the company's accounts and months, shuffled; past every (account, month)
    pair, corrected re-issues. A smaller count plans a prefix.
    """
    rng = random.Random(f"invoices|{seed}")
    periods = [FIRST_PERIOD]
    while len(periods) < MONTHS:
        periods.append(periods[-1].next())
    pairs = [(a, p) for a in company if a.operator in INVOICE_OPERATORS for p in periods]
    rng.shuffle(pairs)
    planned = []
    for index in range(count):
        account, period = pairs[index % len(pairs)]
        spec = DocumentSpec(
            operator=account.operator,
            kind=K.INVOICE,
            format=F.PDF,
            account=account.id,
            period=period,
            numbers=account.numbers,
            seed=index // len(pairs),
        )
        planned.append(Planned(spec, zipped=False, scanned=True))
    return planned


def stamp_scan(operator: Operator) -> bytes:
    """A 300 dpi JPEG scan (15 x 6 cm) of a signature and the operator's round stamp.

    Paper grain makes a scan hard to compress: about 165 KB, as in operators' invoices.
    The same operator always gets the same bytes.
    """
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    width, height, grain = 1772, 709, 32
    rng = random.Random(f"scan|{operator}")
    paper = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    paper = paper.point(lambda v: 232 + v * grain // 256 - grain // 2)
    image = Image.merge("RGB", (paper, paper, paper.point(lambda v: min(255, v + 6))))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 44)
    ink, stamp = (25, 30, 90), (40, 60, 170)
    draw.text((40, 250), "Руководитель ______________", fill=ink, font=font)
    draw.line([(330, 300), (420, 200), (470, 310), (560, 215), (640, 290)], fill=ink, width=6)
    draw.ellipse((1150, 60, 1700, 610), outline=stamp, width=10)
    draw.ellipse((1200, 110, 1650, 560), outline=stamp, width=4)
    draw.text((1425, 335), REQUISITES[operator].legal_name, fill=stamp, font=font, anchor="mm")
    image = image.filter(ImageFilter.GaussianBlur(0.5))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=75)
    return out.getvalue()


def build_message(item: Planned) -> bytes:
    """The raw message (CRLF line ends) an operator sends with ``item``'s document."""
    render = None
    if item.scanned:
        render = partial(render_pdf, scan=stamp_scan(item.spec.operator))
    message = document_message(
        item.spec, to=f"{USER}@example.com", zipped=item.zipped, render=render
    )
    return message.as_bytes(policy=policy.SMTP)


# -- filling the mailbox -------------------------------------------------------------


Advance = Callable[[int], None]


@contextmanager
def progress(description: str, total: int) -> Iterator[Advance]:
    """Yield ``advance(n)``: a rich bar on a terminal, a plain line every 10 s otherwise.

    Args:
        description: what is being done, e.g. "generating".
        total: how many steps make 100 %.
    """
    if sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task(description, total=total)
            yield lambda n: bar.advance(task, n)
        return
    done, last = 0, time.monotonic()

    def advance(n: int) -> None:
        nonlocal done, last
        done += n
        if done == total or time.monotonic() - last >= 10:
            last = time.monotonic()
            print(f"{description}: {done}/{total}", file=sys.stderr, flush=True)

    yield advance


def _cache_file(cache: Path, item: Planned) -> Path:
    return cache / f"{item.key}.eml"


def _generate_one(item: Planned, path: Path) -> None:
    """Build one message into the cache (atomically: a killed run leaves no half file)."""
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(build_message(item))
    os.replace(tmp, path)


def generate(planned: Sequence[Planned], cache: Path, workers: int) -> int:
    """Build the messages the cache lacks, on ``workers`` processes; return how many.

    Args:
        planned: the messages of the bench.
        cache: the directory of cached messages, one file per message.
        workers: how many processes render documents.
    """
    cache.mkdir(parents=True, exist_ok=True)
    missing = {_cache_file(cache, item): item for item in planned}
    missing = {path: item for path, item in missing.items() if not path.exists()}
    if not missing:
        return 0
    # The large ones first, so that they do not make a long tail at the end.
    jobs = sorted(missing.items(), key=lambda job: -job[1].spec.calls_per_number)
    with (
        progress("generating", len(jobs)) as advance,
        ProcessPoolExecutor(max_workers=workers) as pool,
    ):
        futures = [pool.submit(_generate_one, item, path) for path, item in jobs]
        for future in as_completed(futures):
            future.result()
            advance(1)
    return len(jobs)


def deliver(box: Mailbox, paths: Sequence[Path]) -> None:
    """Deliver the cached messages over one LMTP connection, in order."""

    def messages() -> Iterator[bytes]:
        for path in paths:
            yield path.read_bytes()
            advance(1)

    with progress("delivering", len(paths)) as advance:
        box.deliver_many(messages())


# -- measuring ------------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    """One subprocess: wall and CPU time, peak memory, and what it printed.

    ``own_rss_mb`` is the process's own peak RSS (``wait4``); ``tree_pss_mb`` the peak
    of the summed PSS of it and its worker processes, sampled (PSS counts the pages
    forked workers share with their parent once).
    """

    seconds: float
    cpu_s: float  # its own and its waited-for children's, user + system
    own_rss_mb: float
    tree_pss_mb: float
    stdout: str

    @property
    def peak_mb(self) -> float:
        """The peak memory of the step: the larger of the two measures."""
        return max(self.own_rss_mb, self.tree_pss_mb)


class BenchError(RuntimeError):
    """A measured step failed or its result does not add up."""


class TreeMemory:
    """Samples the summed PSS of a process and its descendants in a thread of its own.

    Args:
        root: the process whose tree is sampled.
        interval_s: seconds between samples; descendants are looked up once a second.
    """

    def __init__(self, root: int, interval_s: float = 0.05) -> None:
        self.root = root
        self.interval_s = interval_s
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tree-memory", daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        pids, scanned = [self.root], 0.0
        while not self._stop.is_set():
            if time.monotonic() - scanned >= 1.0:
                pids, scanned = _descendants(self.root), time.monotonic()
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in pids))
            self._stop.wait(self.interval_s)


def _descendants(root: int) -> list[int]:
    """``root`` and every process below it, from the parent ids in /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # exited meanwhile
            continue
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found = [root]
    for pid in found:  # grows while it is walked: breadth first
        found.extend(children.get(pid, []))
    return found


def _pss_kb(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:  # exited meanwhile, or no such file on this kernel
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def run_measured(command: Sequence[str], env: dict[str, str], logs: Path, name: str) -> Measured:
    """Run ``command``: its wall time, its CPU time and peak RSS from ``wait4``, its
    process tree's peak PSS from sampling.

    Args:
        command: the program and its arguments.
        env: its environment.
        logs: where its stdout and stderr go (``<name>.out``, ``<name>.err``).
        name: the step's name, for the log files and errors.

    Raises:
        BenchError: it exited with a non-zero code.
    """
    out, err = logs / f"{name}.out", logs / f"{name}.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        began = time.perf_counter()
        proc = subprocess.Popen(command, stdout=stdout, stderr=stderr, env=env, cwd=ROOT)
        with TreeMemory(proc.pid) as memory:
            _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = err.read_text(errors="replace")[-2000:]
        raise BenchError(f"{name} exited with {proc.returncode}:\n{tail}")
    cpu_s = usage.ru_utime + usage.ru_stime
    return Measured(seconds, cpu_s, usage.ru_maxrss / 1024, memory.peak_kb / 1024, out.read_text())


def floor_fetch(host: str, port: int, user: str, password: str) -> dict[str, int]:
    """The floor: fetch every message of INBOX with a plain imapclient loop, discard it.

    Batches like the collector's: sizes first, then ``BODY.PEEK[]`` of at most
    FETCH_BATCH_BYTES or FETCH_BATCH_MESSAGES messages per round trip.

    Returns:
        ``{"messages": ..., "bytes": ...}`` fetched.
    """
    from imapclient import IMAPClient

    client = IMAPClient(host, port=port, ssl=False, timeout=300)
    client.login(user, password)
    client.select_folder("INBOX", readonly=True)
    uids = sorted(client.search("ALL"))
    sizes = {
        uid: int(item[b"RFC822.SIZE"]) for uid, item in client.fetch(uids, ["RFC822.SIZE"]).items()
    }
    messages = fetched = 0
    for batch in _batches(uids, sizes):
        for item in client.fetch(batch, ["BODY.PEEK[]"]).values():
            messages += 1
            fetched += len(item[b"BODY[]"])
    client.logout()
    return {"messages": messages, "bytes": fetched}


def _batches(uids: Sequence[int], sizes: dict[int, int]) -> Iterator[list[int]]:
    batch: list[int] = []
    used = 0
    for uid in uids:
        full = used + sizes[uid] > FETCH_BATCH_BYTES or len(batch) >= FETCH_BATCH_MESSAGES
        if batch and full:
            yield batch
            batch, used = [], 0
        batch.append(uid)
        used += sizes[uid]
    if batch:
        yield batch


def collect_command(config: Path, profile: Path | None = None) -> list[str]:
    """The collection; under cProfile into ``profile`` when given (run it with
    ``CABINET_ROBOT_MAIL__WORKERS=1``: a profile sees only its own process)."""
    profiled = ["-m", "cProfile", "-o", str(profile)] if profile else []
    return [sys.executable, *profiled, "-m", "cli.main", "collect", "--config", str(config),
            "--json"]  # fmt: skip


def check_summary(summary: dict[str, int], expected: int) -> None:
    """Every message must be accounted for: one document each, delivered or set aside.

    Raises:
        BenchError: the counts do not add up, or some message is left to retry.
    """
    accounted = sum(
        summary.get(k, 0) for k in ("delivered", "duplicates", "quarantined", "ignored")
    )
    if summary.get("messages") != expected or accounted != expected or summary.get("errors"):
        raise BenchError(f"collection of {expected} messages does not add up: {summary}")


# -- the run --------------------------------------------------------------------------


@dataclass
class Figures:
    """Everything the bench measured."""

    case: str
    messages: int
    mailbox_bytes: int
    generated: int
    generate_s: float
    deliver_s: float
    floor: Measured
    collect: Measured
    incremental: Measured
    summary: dict[str, int]

    def as_json(self) -> dict[str, str | float | int]:
        """The figures of the last line."""
        return {
            "case": self.case,
            "messages": self.messages,
            "msgs_per_s": round(self.messages / self.collect.seconds, 1),
            "floor_msgs_per_s": round(self.messages / self.floor.seconds, 1),
            "ratio": round(self.floor.seconds / self.collect.seconds, 3),
            "peak_rss_mb": round(self.collect.peak_mb, 1),
            "incremental_s": round(self.incremental.seconds, 2),
        }


def run(args: argparse.Namespace, workdir: Path) -> Figures:
    """Fill a fresh mailbox, then measure the floor, a collection and a rerun."""
    company = make_company(args.seed)
    plan = plan_invoices if args.case == "pdf-invoices" else plan_messages
    planned = plan(args.messages, args.seed, company)
    began = time.perf_counter()
    generated = generate(planned, args.cache, args.workers)
    generate_s = time.perf_counter() - began
    paths = [_cache_file(args.cache, item) for item in planned]
    server = MailServer()
    server.start()
    try:
        box = server.mailbox(USER)
        config = workdir / "cabinet-robot.toml"
        inbox, state = workdir / "tarifer", workdir / "state"
        config.write_text(config_toml(port=box.port, company=company, inbox=inbox, state=state))
        began = time.perf_counter()
        deliver(box, paths)
        deliver_s = time.perf_counter() - began
        floor, collected, rerun, summary = measure(
            box, config, workdir / "logs", args.messages, args.profile
        )
    finally:
        server.stop()
    return Figures(
        case=args.case,
        messages=args.messages,
        mailbox_bytes=sum(path.stat().st_size for path in paths),
        generated=generated,
        generate_s=generate_s,
        deliver_s=deliver_s,
        floor=floor,
        collect=collected,
        incremental=rerun,
        summary=summary,
    )


def measure(
    box: Mailbox, config: Path, logs: Path, expected: int, profile: Path | None = None
) -> tuple[Measured, Measured, Measured, dict[str, int]]:
    """Measure the floor, one collection and an incremental rerun, in that order.

    The floor goes first: the collection moves the messages out of INBOX.

    Returns:
        The three measurements and the collection's summary.

    Raises:
        BenchError: a step failed, or its result does not add up.
    """
    logs.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, PASSWORD_ENV: box.password}
    _say("measuring the floor (plain IMAP fetch)")
    floor_cmd = [sys.executable, __file__, "--floor", f"{box.host}:{box.port}:{box.username}"]
    floor = run_measured(floor_cmd, env, logs, "floor")
    if _last_json(floor)["messages"] != expected:
        raise BenchError(f"the floor fetched {floor.stdout.strip()}, not {expected} messages")
    _say("measuring one collection")
    collected = run_measured(collect_command(config, profile), env, logs, "collect")
    summary = _last_json(collected)
    check_summary(summary, expected)
    if summary.get("quarantined"):
        _say(f"warning: {summary['quarantined']} valid message(s) quarantined, see collect.err")
    _say("measuring an incremental rerun")
    rerun = run_measured(collect_command(config), env, logs, "incremental")
    if _last_json(rerun).get("messages") != 0:
        raise BenchError(f"the incremental rerun found messages: {rerun.stdout.strip()}")
    return floor, collected, rerun, summary


def _last_json(measured: Measured) -> dict[str, int]:
    lines = measured.stdout.strip().splitlines()
    try:
        data = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        raise BenchError(f"no JSON summary in {measured.stdout[-500:]!r}") from None
    if not isinstance(data, dict):
        raise BenchError(f"not a JSON object: {lines[-1][:200]}")
    return {str(key): int(value) for key, value in data.items()}


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def report(figures: Figures) -> None:
    """The human table of the figures, on stdout."""
    from rich.console import Console
    from rich.table import Table

    data = figures.as_json()
    n, megabytes = figures.messages, figures.mailbox_bytes / 1e6
    title = f"bench/collect.py --case {figures.case}: {n} messages, {megabytes:,.0f} MB"
    table = Table(title=title)
    goals = GOALS[figures.case]
    columns = ("step", "wall s", "CPU s", "messages/s", "MB/s", "RSS MB", "tree PSS MB", "goal")
    for column in columns:
        table.add_column(column, justify="left" if column in ("step", "goal") else "right")
    cached = n - figures.generated
    generate = f"generate ({figures.generated} new, {cached} cached)"
    table.add_row(generate, f"{figures.generate_s:.1f}", *[""] * 5, "not measured")
    deliver_rates = (f"{n / figures.deliver_s:.0f}", f"{megabytes / figures.deliver_s:.0f}")
    table.add_row("deliver (LMTP)", f"{figures.deliver_s:.1f}", "", *deliver_rates, "", "", "")
    rerun_s = figures.incremental.seconds
    for name, step, goal in (
        ("floor (plain imapclient)", figures.floor, ""),
        ("collect", figures.collect, _goal(goals, "peak_rss_mb", figures.collect.peak_mb)),
        ("incremental rerun", figures.incremental, _goal(goals, "incremental_s", rerun_s)),
    ):
        rates = ("", "") if step is figures.incremental else _rates(n, megabytes, step.seconds)
        memory = (f"{step.own_rss_mb:.0f}", f"{step.tree_pss_mb:.0f}")
        cells = (f"{step.seconds:.2f}", f"{step.cpu_s:.1f}", *rates, *memory)
        table.add_row(name, *cells, goal)
    ratio_value = figures.floor.seconds / figures.collect.seconds
    ratio = (f"{data['ratio']:.3f}", *[""] * 5, _goal(goals, "ratio", ratio_value))
    table.add_row("ratio collect / floor", *ratio)
    console = Console(width=None if sys.stdout.isatty() else 120)
    console.print(table)
    console.print(f"collect summary: {json.dumps(figures.summary)}", highlight=False)


def _rates(messages: int, megabytes: float, seconds: float) -> tuple[str, str]:
    return f"{messages / seconds:.1f}", f"{megabytes / seconds:.1f}"


def _goal(goals: dict[str, float], name: str, value: float) -> str:
    goal = goals[name]
    met = value >= goal if name == "ratio" else value < goal
    sign = ">=" if name == "ratio" else "<"
    return f"{'met' if met else 'MISSED'} ({sign} {goal:g})"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=1000, metavar="N", help="default 1000")
    parser.add_argument(
        "--case",
        choices=CASES,
        default="mixed",
        help="mixed: every kind and format the operators send (default); "
        "pdf-invoices: PDF invoices of about 200 KB each, the commonest real month",
    )
    parser.add_argument("--seed", type=int, default=1, help="the company and its mail (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes that render documents"
    )
    parser.add_argument(
        "--cache", type=Path, default=CACHE_DIR / f"v{GENERATOR_VERSION}", help=argparse.SUPPRESS
    )
    parser.add_argument("--floor", metavar="HOST:PORT:USER", help=argparse.SUPPRESS)
    parser.add_argument("--profile", type=Path, help=argparse.SUPPRESS)  # cProfile output
    args = parser.parse_args(argv)
    if args.messages < 1:
        parser.error("--messages must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the bench; the last line of stdout is the JSON object of the figures."""
    args = parse_args(argv)
    if args.floor:  # the floor's own subprocess
        host, port, user = args.floor.split(":")
        print(json.dumps(floor_fetch(host, int(port), user, os.environ[PASSWORD_ENV])))
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="bench-collect-"))
    try:
        figures = run(args, workdir)
    except BenchError as exc:
        _say(f"bench failed: {exc}")
        return 1
    finally:
        if args.keep:
            _say(f"kept {workdir} (configuration, logs, Tarifer inbox, ledger)")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    report(figures)
    print(json.dumps(figures.as_json()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
