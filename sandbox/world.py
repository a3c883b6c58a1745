"""The sandbox's company: its accounts and numbers at each operator, and the robot's
configuration for talking to the sandbox.

The SIP accounts carry tariffs: the SIP cabinet orders call details only for
subscribers on «SIP-соединение», and lists the others with their own tariff. The MTS
accounts carry their subscribers' names (the «ФИО» column of «Текущая выборка»). The
Kcell accounts belong to two companies of one administrator (``COMPANIES``; the Kcell
cabinet's «Выбор компании») and carry what «Управление номерами» lists of each number
(``NumberLine``: tariff, method of payment, status, available funds).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from robots.domain import Operator
from sandbox.documents.model import REQUISITES

if TYPE_CHECKING:
    from sandbox.mailserver import Mailbox


SIP_TARIFF = "SIP-соединение"
ANALOG_TARIFF = "Аналоговая линия"


@dataclass(frozen=True)
class NumberLine:
    """What a cabinet lists of one number besides its account (Kcell «Управление номерами»)."""

    tariff: str  # «Тарифный план»
    method: str = "Кредитный"  # «Метод расчета»: «Кредитный» or «Авансовый»
    status: str = "Активный"  # «Статус»
    funds: str = ""  # «Доступные средства» as the cabinet shows them: "893 ₸"


@dataclass(frozen=True)
class SandboxAccount:
    """A personal account: its numbers, those whose tariff is not the usual one, the
    subscribers' names where the cabinet shows them, the company it belongs to where one
    login administers several, and what the cabinet lists of each number."""

    operator: Operator
    id: str
    numbers: tuple[str, ...]
    other_tariffs: tuple[tuple[str, str], ...] = ()  # (number, tariff)
    names: tuple[tuple[str, str], ...] = ()  # (number, full name)
    company: str = ""  # SandboxCompany.name; "" for operators whose cabinets show none
    lines: tuple[tuple[str, NumberLine], ...] = ()  # (number, line)

    def tariff(self, number: str) -> str:
        """The number's tariff (SIP accounts: «SIP-соединение» unless listed otherwise)."""
        return dict(self.other_tariffs).get(number, SIP_TARIFF)

    def name(self, number: str) -> str:
        """The subscriber's full name («ФИО»), or "" when unknown."""
        return dict(self.names).get(number, "")

    def line(self, number: str) -> NumberLine:
        """What the cabinet lists of ``number`` (its tariff, method, status, funds)."""
        found = dict(self.lines).get(number)
        return found if found is not None else NumberLine(self.tariff(number))


@dataclass(frozen=True)
class SandboxCompany:
    """A company of an administrator who manages several (Kcell «Выбор компании»)."""

    operator: Operator
    name: str  # as the cabinet lists it in «Выбор компании»
    legal_name: str  # as its documents name it
    tax_id: str  # БИН


KCELL_COMPANY = "TOO Кабинет"  # the manual's example names (Latin "TOO", as in the manual)
KCELL_BRANCH = "Филиал TOO Кабинет"

COMPANIES: tuple[SandboxCompany, ...] = (
    SandboxCompany(Operator.KCELL, KCELL_COMPANY, "ТОО «Кабинет»", "123456789012"),
    SandboxCompany(Operator.KCELL, KCELL_BRANCH, "Филиал ТОО «Кабинет»", "123456789029"),
)


ACCOUNTS: tuple[SandboxAccount, ...] = (
    SandboxAccount(
        Operator.MTS,
        "277012345678",
        ("79161234567", "79161234568", "79161234569"),
        names=(
            ("79161234567", "Иванов Иван Иванович"),
            ("79161234568", "Петрова Анна Сергеевна"),
            ("79161234569", "Сидоров Павел Андреевич"),
        ),
    ),
    SandboxAccount(
        Operator.MTS,
        "277012345679",
        ("79167654321",),
        names=(("79167654321", "Кузнецова Мария Олеговна"),),
    ),
    SandboxAccount(
        Operator.MTS,
        "277012345680",
        ("79031234501", "79031234502"),
        names=(
            ("79031234501", "Смирнов Алексей Викторович"),
            ("79031234502", "Волкова Елена Дмитриевна"),
        ),
    ),
    SandboxAccount(
        Operator.KCELL,
        "1040123456",
        ("77012223344", "77012223345"),
        company=KCELL_COMPANY,
        lines=(
            ("77012223344", NumberLine("Карт Бланш+ 1000", funds="893 ₸")),
            ("77012223345", NumberLine("Бизнес Класс Специалист", funds="6982 ₸")),
        ),
    ),
    SandboxAccount(
        Operator.KCELL,
        "1040123457",
        ("77012223346", "77012223347"),
        company=KCELL_BRANCH,
        lines=(
            ("77012223346", NumberLine("Бизнес Класс Специалист", funds="446 ₸")),
            ("77012223347", NumberLine("11 corp", method="Авансовый", funds="9970.33 ₸")),
        ),
    ),
    SandboxAccount(
        Operator.A1,
        "1234567890123",
        ("375291234567", "375291234568", "375291234569"),
        names=(
            ("375291234567", "Абонент 1"),
            ("375291234568", "Абонент 2"),
            ("375291234569", "Абонент 3"),
        ),
        lines=(
            ("375291234567", NumberLine("Своё решение Новатор")),
            ("375291234568", NumberLine("Своё решение Лидер")),
            ("375291234569", NumberLine("Своё решение Новатор", status="Ожидание активации")),
        ),
    ),
    SandboxAccount(
        Operator.A1,
        "1234567890124",
        ("375291234570",),
        names=(("375291234570", "Абонент 4"),),
        lines=(("375291234570", NumberLine("Своё решение Лидер")),),
    ),
    SandboxAccount(  # fixed-line (Minsk numbers 37517...): the «Лицевой счет» login
        Operator.A1,
        "1234567890125",
        ("375172000001", "375172000002"),
        names=(("375172000001", "Абонент 5"), ("375172000002", "Абонент 6")),
        lines=(
            ("375172000001", NumberLine("Бизнес-линия")),
            ("375172000002", NumberLine("Бизнес-линия")),
        ),
    ),
    SandboxAccount(Operator.SIP, "1100023456", ("375172345678", "375172345679")),
    SandboxAccount(
        Operator.SIP,
        "1100023457",
        ("375172345680", "375172345681", "375172345682"),
        other_tariffs=(("375172345682", ANALOG_TARIFF),),
    ),
)

SENDER_DOMAINS: dict[Operator, str] = {
    Operator.MTS: "mts.ru",
    Operator.KCELL: "kcell.kz",
    Operator.A1: "a1.by",
    Operator.SIP: "siptelecom.by",
}


def accounts_of(operator: Operator) -> tuple[SandboxAccount, ...]:
    return tuple(a for a in ACCOUNTS if a.operator is operator)


def generated_accounts(operator: Operator, count: int) -> tuple[SandboxAccount, ...]:
    """``count`` more accounts of ``operator`` with one number each (benchmarks of many
    accounts); their ids and numbers never meet the fixed ones."""
    made = []
    for i in range(count):
        number = {
            Operator.MTS: f"7926{i:07d}",
            Operator.KCELL: f"7702{i:07d}",
            Operator.A1: f"37533{i:07d}",
            Operator.SIP: f"37517{i + 5000000:07d}",
        }[operator]
        account = {
            Operator.MTS: f"2779{i:08d}",
            Operator.KCELL: f"20{i:08d}",
            Operator.A1: f"99{i:011d}",
            Operator.SIP: f"22{i:08d}",
        }[operator]
        made.append(
            SandboxAccount(
                operator,
                account,
                (number,),
                names=((number, f"Абонент {i + 1}"),),
                # Kcell: the administrator's two companies take turns.
                company=(KCELL_COMPANY, KCELL_BRANCH)[i % 2] if operator is Operator.KCELL else "",
            )
        )
    return tuple(made)


def companies_of(operator: Operator) -> tuple[SandboxCompany, ...]:
    """The companies of the operator's administrator, in «Выбор компании» order."""
    return tuple(c for c in COMPANIES if c.operator is operator)


@dataclass(frozen=True)
class WebCabinet:
    """A sandbox cabinet the robot logs into: what its ``[[cabinets]]`` entry adds."""

    operator: Operator
    url: str
    login: str
    password_env: str
    email: str | None = None  # where the robot asks the cabinet to send documents
    otp_url: str | None = None  # the SMS gateway, with ``{phone}``: ``otp = {source = "http"}``
    companies: tuple[str, ...] = ()  # an administrator of several companies: their names
    login_method: str | None = None  # A1: password | sms | account | email
    role: str | None = None  # A1: administrator | supervisor


def _q(value: str | Path) -> str:
    """A TOML basic string."""
    return json.dumps(str(value), ensure_ascii=False)


def robot_config_toml(
    *,
    imap_port: int,
    username: str,
    password_env: str,
    tarifer_inbox: Path,
    state_dir: Path,
    download_hosts: tuple[str, ...] = ("127.0.0.1",),
    web_cabinets: Sequence[WebCabinet] = (),
    chromium: str | Path | None = None,
    deadline_s: float | None = None,
    accounts: Mapping[Operator, Sequence[SandboxAccount]] | None = None,
) -> str:
    """A complete cabinet-robot.toml for the sandbox (plain IMAP on loopback).

    Every operator gets a mail-only cabinet, except those in ``web_cabinets``, whose
    entry also says where and how to log in. ``chromium`` adds a ``[browser]`` section
    with that executable; ``deadline_s`` a ``[cycle]`` section on the sandbox's time
    scale (documents due within seconds, collections a second apart). ``accounts``
    replaces the world's accounts of an operator.
    """
    hosts = ", ".join(_q(h) for h in download_hosts)
    lines = [
        "# Generated for the sandbox: plain IMAP is allowed because the server is on loopback."
    ]
    if chromium is not None:
        lines += ["[browser]", f"executable_path = {_q(chromium)}", "headless = true", ""]
    lines += [
        "[mail]",
        'host = "127.0.0.1"',
        f"port = {imap_port}",
        'security = "plain"',
        f"username = {_q(username)}",
        f"password_env = {_q(password_env)}",
        "",
        "[tarifer]",
        f"inbox = {_q(tarifer_inbox)}",
        "",
        "[state]",
        f"dir = {_q(state_dir)}",
    ]
    if deadline_s is not None:
        lines += [
            "",
            "[cycle]",
            'poll_interval = "1s"',
            'retry_delay = "1s"',
            f'deadlines = {{ "*" = "{deadline_s:g}s" }}',
        ]
    web = {cabinet.operator: cabinet for cabinet in web_cabinets}
    for operator in Operator:
        lines += ["", "[[cabinets]]", f'name = "{operator}-sandbox"', f'operator = "{operator}"']
        if operator in web:
            cabinet = web[operator]
            lines += [
                f"url = {_q(cabinet.url)}",
                f"login = {_q(cabinet.login)}",
                f"password_env = {_q(cabinet.password_env)}",
            ]
            if cabinet.email is not None:
                lines.append(f"email = {_q(cabinet.email)}")
            if cabinet.login_method is not None:
                lines.append(f"login_method = {_q(cabinet.login_method)}")
            if cabinet.role is not None:
                lines.append(f"role = {_q(cabinet.role)}")
            if cabinet.companies:
                lines.append(f"companies = [{', '.join(_q(c) for c in cabinet.companies)}]")
            if cabinet.otp_url is not None:
                lines.append(f'otp = {{ source = "http", url = {_q(cabinet.otp_url)} }}')
        if operator is Operator.SIP:  # a product of several operators: say whose it is
            issuer = REQUISITES[operator]
            lines.append(
                f"recognition = {{ tax_ids = [{_q(issuer.tax_id)}], "
                f"names = [{_q(issuer.legal_name)}] }}"
            )
        lines += [
            f'mail_from = ["@{SENDER_DOMAINS[operator]}"]',
            f"download_hosts = [{hosts}]",
            "accounts = [",
        ]
        for account in (accounts or {}).get(operator, accounts_of(operator)):
            numbers = ", ".join(f'"{n}"' for n in account.numbers)
            lines.append(f'    {{ id = "{account.id}", numbers = [{numbers}] }},')
        lines.append("]")
    return "\n".join(lines) + "\n"


def write_robot_config(
    directory: Path, mailbox: Mailbox, password_env: str, extra: str = ""
) -> Path:
    """Write ``directory/cabinet-robot.toml`` for ``mailbox``; Tarifer's inbox and the
    state go beside it. ``extra`` is appended (e.g. a ``[limits]`` section).
    """
    path = directory / "cabinet-robot.toml"
    text = robot_config_toml(
        imap_port=mailbox.port,
        username=mailbox.username,
        password_env=password_env,
        tarifer_inbox=directory / "tarifer",
        state_dir=directory / "state",
    )
    path.write_text(text + extra, encoding="utf-8")
    return path
