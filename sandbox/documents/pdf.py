"""Operator documents as PDF, laid out the way the operators print them (fpdf2, DejaVu).

Each layout's docstring says where it comes from (``SOURCES.md`` beside this file lists
the sources, and what is assumed). Core PDF fonts have no Cyrillic, so DejaVu is
embedded. The bytes depend only on the spec: the creation date is fixed and fpdf2
derives the file id from the content.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from robots.domain import DocumentKind, Operator
from sandbox.documents.model import (
    FIXED_TIMESTAMP,
    REQUISITES,
    Call,
    DocumentSpec,
    generate_calls,
    month_phrase,
    range_phrase,
    total,
)

# fontTools reports every font subset at INFO: noise in the sandbox's and the robot's logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_FONT = "DejaVu"
_ROW_H = 4.5

_SERVICES: dict[Operator, tuple[str, ...]] = {
    Operator.MTS: (
        "Абонентская плата по тарифному плану", "Местные вызовы",
        "Междугородные и международные вызовы", "Мобильный интернет", "SMS/MMS",
    ),
    Operator.KCELL: (
        "Абонентская плата", "Исходящие вызовы внутри сети", "Исходящие вызовы на другие сети",
        "Мобильный интернет", "SMS", "Роуминг",
    ),
    Operator.A1: (
        "Абонентская плата", "Вызовы внутри сети", "Вызовы на сети других операторов",
        "Передача данных", "SMS/MMS",
    ),
    Operator.SIP: (
        "Абонентская плата за SIP-соединение", "Местные соединения", "Междугородные соединения",
        "Международные соединения", "Аренда номера",
    ),
}  # fmt: skip
VAT_PERCENT = {Operator.MTS: 22, Operator.KCELL: 16, Operator.A1: 20, Operator.SIP: 20}

Column = tuple[str, float, str]  # header, width in mm, alignment


def money(amount: Decimal) -> str:
    """An amount as operators print it: ``1234,50``."""
    return f"{amount:.2f}".replace(".", ",")


def services(spec: DocumentSpec) -> list[tuple[str, Decimal]]:
    """The operator's services billed in the spec's month, with seeded amounts."""
    rng = spec.rng
    return [(name, Decimal(rng.randint(500, 250_000)) / 100) for name in _SERVICES[spec.operator]]


def vat_included(operator: Operator, gross: Decimal) -> Decimal:
    """The VAT contained in a gross amount, rounded to kopecks/tiyns."""
    rate = VAT_PERCENT[operator]
    return (gross * rate / (100 + rate)).quantize(Decimal("0.01"))


def document_number(spec: DocumentSpec) -> str:
    """A seeded document number; hyphenated so it never reads as a phone number."""
    return (
        f"{spec.period.year % 100:02d}{spec.period.month:02d}-{spec.rng.randint(10**5, 10**6 - 1)}"
    )


class _Sheet:
    """An A4 page flow with the few primitives operator documents need."""

    def __init__(self) -> None:
        pdf = FPDF(format="A4")
        # A naive timestamp would be read in the machine's time zone: pin it to UTC.
        pdf.set_creation_date(FIXED_TIMESTAMP.replace(tzinfo=dt.UTC))
        pdf.set_margins(15, 15, 15)
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_font(_FONT, "", str(_FONT_DIR / "DejaVuSans.ttf"))
        bold = _FONT_DIR / "DejaVuSans-Bold.ttf"
        self.bold_style = "B" if bold.exists() else ""
        if bold.exists():
            pdf.add_font(_FONT, "B", str(bold))
        pdf.add_page()
        self.pdf = pdf

    def text(self, text: str, *, bold: bool = False, size: float = 9, align: str = "L") -> None:
        self.pdf.set_font(_FONT, self.bold_style if bold else "", size)
        self.pdf.multi_cell(0, size * 0.5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def gap(self, height: float = 3) -> None:
        self.pdf.ln(height)

    def table(
        self, columns: Sequence[Column], rows: Sequence[Sequence[str]], footer: str = ""
    ) -> None:
        """A bordered table whose header repeats on every page it spans."""
        self._row([c[0] for c in columns], columns, bold=True)
        for row in rows:
            if self.pdf.will_page_break(_ROW_H):
                self.pdf.add_page()
                self._row([c[0] for c in columns], columns, bold=True)
            self._row(row, columns)
        if footer:
            self.text(footer, bold=True, align="R")
        self.gap()

    def _row(self, cells: Sequence[str], columns: Sequence[Column], bold: bool = False) -> None:
        self.pdf.set_font(_FONT, self.bold_style if bold else "", 7.5)
        for text, (_, width, align) in zip(cells, columns, strict=True):
            self.pdf.cell(width, _ROW_H, text, border=1, align=align)
        self.pdf.ln(_ROW_H)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _heading(sheet: _Sheet, spec: DocumentSpec, title: str, subtitle: str) -> None:
    """Operator requisites, title, document number, account and customer."""
    req = REQUISITES[spec.operator]
    sheet.text(req.legal_name, bold=True, size=10)
    sheet.text(f"{req.tax_id_label} {req.tax_id}")
    sheet.text(f"Адрес: {req.address}")
    sheet.gap(5)
    sheet.text(title, bold=True, size=12, align="C")
    sheet.text(subtitle, align="C")
    sheet.gap(4)
    sheet.text(f"Лицевой счет: {spec.account}")
    sheet.text(f"Плательщик: {spec.customer.name}, ИНН/БИН {spec.customer.tax_id}")
    sheet.gap()


_SERVICE_COLUMNS: tuple[Column, ...] = (
    ("№", 10, "C"),
    ("Наименование услуги", 130, "L"),
    ("Сумма", 40, "R"),
)


def _services_table(sheet: _Sheet, spec: DocumentSpec, label: str) -> None:
    items = services(spec)
    amount = sum((a for _, a in items), Decimal(0))
    currency = REQUISITES[spec.operator].currency
    rows = [(str(i), name, money(a)) for i, (name, a) in enumerate(items, 1)]
    sheet.table(_SERVICE_COLUMNS, rows)
    sheet.text(f"{label}: {money(amount)} {currency}", bold=True, align="R")
    vat = vat_included(spec.operator, amount)
    sheet.text(f"В том числе НДС {VAT_PERCENT[spec.operator]}%: {money(vat)} {currency}", align="R")
    sheet.gap()


def _invoice(sheet: _Sheet, spec: DocumentSpec) -> None:
    {
        Operator.MTS: _mts_tax_invoice,
        Operator.KCELL: _kazakh_invoice,
        Operator.SIP: _sip_invoice,
    }.get(spec.operator, _plain_invoice)(sheet, spec)


def _plain_invoice(sheet: _Sheet, spec: DocumentSpec) -> None:
    """A1's «Счет»: requisites with the УНП, the account, the month («за октябрь 2026 г.»)."""
    number, issued = document_number(spec), f"{spec.issued_on:%d.%m.%Y}"
    _heading(sheet, spec, f"Счет № {number} от {issued}", f"за {month_phrase(spec.period)}")
    _services_table(sheet, spec, "Итого к оплате")
    sheet.text(f"Оплатить до 25.{spec.period.next().month:02d}.{spec.period.next().year}")


def _mts_tax_invoice(sheet: _Sheet, spec: DocumentSpec) -> None:
    """The Russian «СЧЕТ-ФАКТУРА» of Постановление № 1137 as telecom operators print it.

    Layout after onnet/zzapp ``priv/templates/ru/invoice.tpl`` and ``onnet_invoice.tpl``
    (a telecom operator's счёт-фактура): the title with «за оказанные услуги
    электросвязи за период: d - d», then «Продавец», «ИНН/КПП продавца», «Покупатель»,
    «Валюта: наименование, код»; the legal name in straight quotes (ПАО "МТС") and no
    «ИНН 7740000076» as one phrase.
    The account is printed the way MTS's billing names it (``PersonalAccountNumber``,
    12 digits from 277…, as in lyakishev/logs-browser ``tests/pxml_test.py``), here in
    the dative: «по лицевому счету № …».
    """
    req = REQUISITES[spec.operator]
    number, issued = document_number(spec), f"{spec.issued_on:%d.%m.%Y}"
    period = spec.period
    sheet.text(f"СЧЕТ-ФАКТУРА № {number} от {issued}", bold=True, size=11)
    sheet.text(
        "за оказанные услуги электросвязи за период: "
        f"{period.first_day:%d.%m.%Y} - {period.last_day:%d.%m.%Y}"
    )
    sheet.text('Продавец: ПАО "МТС"')
    sheet.text(f"Адрес: {req.address}")
    sheet.text(f"ИНН/КПП продавца: {req.tax_id} / 770901001")
    sheet.text(f"Покупатель: {spec.customer.name}")
    sheet.text(f"ИНН/КПП покупателя: {spec.customer.tax_id} / 770101001")
    sheet.text("Валюта: наименование, код Российский рубль, 643")
    sheet.text(f"Дополнительные сведения: услуги связи по лицевому счету № {spec.account}")
    sheet.gap()
    items = services(spec)
    rate = VAT_PERCENT[spec.operator]
    columns: tuple[Column, ...] = (
        ("Наименование услуги", 80, "L"), ("Без налога", 30, "R"), ("Ставка", 15, "C"),
        ("Сумма налога", 25, "R"), ("С налогом", 30, "R"),
    )  # fmt: skip
    rows = []
    for name, gross in items:
        vat = vat_included(spec.operator, gross)
        rows.append((name, money(gross - vat), f"{rate}%", money(vat), money(gross)))
    sheet.table(columns, rows)
    grand = sum((a for _, a in items), Decimal(0))
    sheet.text(f"Всего к оплате: {money(grand)} руб.", bold=True, align="R")
    vat = vat_included(spec.operator, grand)
    sheet.text(f"В том числе НДС {rate}%: {money(vat)} руб.", align="R")
    sheet.text(
        "Приложение № 1 к постановлению Правительства Российской Федерации от 26.12.2011 г. № 1137",
        size=6,
    )


def _kazakh_invoice(sheet: _Sheet, spec: DocumentSpec) -> None:
    """Kcell's «Счет на оплату» in the Kazakh form: БИН/ИИН, ИИК, Кбе, КНП.

    The form (beneficiary block, «Поставщик: БИН / ИИН …», «Покупатель: …») is the one
    Kazakh accounting software prints; no public Kcell sample was found, so the layout
    is assumed from that form. The legal name is in straight quotes (АО "Кселл"), the
    account a short «л/с», the month «октябрь 2026г.». Kcell's personal accounts are
    the 8-10 digit numbers of its cabinet manual (``specs/kcell-cabinet.md``).
    """
    req = REQUISITES[spec.operator]
    number, issued = document_number(spec), f"{spec.issued_on:%d.%m.%Y}"
    sheet.text('Бенефициар: АО "Кселл"', bold=True)
    sheet.text(f"БИН: {req.tax_id}    ИИК: KZ926017131000012345    Кбе: 17")
    sheet.text('Банк бенефициара: АО "Народный Банк Казахстана"    БИК: HSBKKZKX')
    sheet.text("Код назначения платежа: 859")
    sheet.gap(4)
    sheet.text(f"Счет на оплату № {number} от {issued}", bold=True, size=12)
    sheet.text(f'Поставщик: БИН / ИИН {req.tax_id}, АО "Кселл", {req.address}')
    sheet.text(f"Покупатель: БИН / ИИН {spec.customer.tax_id}, {spec.customer.name}")
    period = spec.period
    month = month_phrase(period).removesuffix(" г.")
    sheet.text(f"Назначение: оплата услуг связи за {month}г. по л/с {spec.account}")
    sheet.gap()
    _services_table(sheet, spec, "Итого")
    sheet.text(f"Всего к оплате: {money(sum((a for _, a in services(spec)), Decimal(0)))} KZT")


# The SIP cabinet is a product several operators run (specs/sip-cabinet-invoices.md names
# none): its invoices print whichever operator runs it, a company the robot knows only
# when the SIP cabinet's configuration names it (the sandbox's does).
_SIP = REQUISITES[Operator.SIP]
SIP_ISSUER = (_SIP.legal_name, _SIP.tax_id_label, _SIP.tax_id)


def _sip_invoice(sheet: _Sheet, spec: DocumentSpec) -> None:
    """A SIP operator's «Счет»: issued by a company the robot does not know.

    Layout after onnet/zzapp ``priv/templates/ru/calls_report.tpl`` (a SIP operator's
    billing): «Поставщик: … ИНН: …» above the title, the period as «с … по …» (here
    with two-digit years, «с 01.10.26 по 31.10.26»). The issuer
    is the operator that runs the cabinet (``SIP_ISSUER``, assumed): the robot places
    the file by the cabinet it came from, or by the cabinet's ``recognition`` names.
    """
    name, label, tax_id = SIP_ISSUER
    number, issued = document_number(spec), f"{spec.issued_on:%d.%m.%Y}"
    period = spec.period
    sheet.text(f"Поставщик: {name} {label}: {tax_id}", bold=True)
    sheet.text(f"Адрес: {REQUISITES[spec.operator].address}")
    sheet.gap(4)
    sheet.text(f"Счет № {number} от {issued}", bold=True, size=12, align="C")
    sheet.text(
        f"за услуги связи в период с {period.first_day:%d.%m.%y} по {period.last_day:%d.%m.%y}",
        align="C",
    )
    sheet.gap(3)
    sheet.text(f"Плательщик: {spec.customer.name}")
    sheet.text(f"Номер лицевого счета: {spec.account}")
    sheet.gap()
    _services_table(sheet, spec, "Итого к оплате")


def _reconciliation_act(sheet: _Sheet, spec: DocumentSpec) -> None:
    """«Акт сверки взаимных расчетов за период: d - d между <issuer> и <customer>».

    The title, the two-sided wording and the saldo lines are those of the reconciliation
    act accounting software prints in Russia, Belarus and Kazakhstan alike (assumed: no
    operator's sample is public); A1 requests it from «Финансы → Акт сверки» for a
    period (``specs/a1-business-cabinet.md``), so the period is a date range.
    """
    rng, period = spec.rng, spec.period
    title = "Акт сверки взаимных расчетов"
    between = f"между {REQUISITES[spec.operator].legal_name} и {spec.customer.name}"
    _heading(sheet, spec, title, f"за период: {range_phrase(period)} {between}")
    currency = REQUISITES[spec.operator].currency
    opening = Decimal(rng.randint(0, 500_000)) / 100
    charged = sum((a for _, a in services(spec)), Decimal(0))
    paid = Decimal(rng.randint(0, 1_000_000)) / 100
    day = f"{period.first_day:%d.%m.%Y}"
    paid_on = f"{period.first_day + dt.timedelta(days=14):%d.%m.%Y}"
    rows = [
        (day, f"Счет № {document_number(spec)}", money(charged), ""),
        (paid_on, "Оплата, платежное поручение", "", money(paid)),
    ]
    columns: tuple[Column, ...] = (
        ("Дата", 30, "C"), ("Документ", 90, "L"), ("Дебет", 30, "R"), ("Кредит", 30, "R")
    )  # fmt: skip
    sheet.text(f"Сальдо начальное на {day}: {money(opening)} {currency}")
    sheet.gap(2)
    sheet.table(columns, rows)
    sheet.text(f"Обороты за период: дебет {money(charged)}, кредит {money(paid)}")
    closing = opening + charged - paid
    sheet.text(
        f"Сальдо конечное на {period.last_day:%d.%m.%Y}: {money(closing)} {currency}", bold=True
    )


def _work_act(sheet: _Sheet, spec: DocumentSpec) -> None:
    """Kcell's act in the Kazakh form Р-1 (the title in capitals, «Форма Р-1» above it,
    the month in the words «за октябрь 2026 г.»), followed by «Расшифровка к
    счету-фактуре» on a page of its own (``specs/kcell-cabinet.md`` names both)."""
    number, issued = document_number(spec), f"{spec.issued_on:%d.%m.%Y}"
    sheet.text("Форма Р-1", size=7, align="R")
    title = f"АКТ ВЫПОЛНЕННЫХ РАБОТ (ОКАЗАННЫХ УСЛУГ) № {number} от {issued}"
    _heading(sheet, spec, title, f"за {month_phrase(spec.period)}")
    _services_table(sheet, spec, "Итого")
    sheet.text("Исполнитель ____________________        Заказчик ____________________")
    sheet.pdf.add_page()
    sheet.text(f"Расшифровка к счету-фактуре № {number} от {issued}", bold=True, align="C")
    sheet.text(f"Лицевой счет: {spec.account}, период: {month_phrase(spec.period)}", align="C")
    sheet.gap()
    columns: tuple[Column, ...] = (
        ("Услуга", 90, "L"), ("Без НДС", 30, "R"), ("НДС", 30, "R"), ("С НДС", 30, "R")
    )  # fmt: skip
    rows = []
    for name, gross in services(spec):
        vat = vat_included(spec.operator, gross)
        rows.append((name, money(gross - vat), money(vat), money(gross)))
    sheet.table(columns, rows)


def _invoice_register(sheet: _Sheet, spec: DocumentSpec) -> None:
    rng = spec.rng
    _heading(sheet, spec, "Реестр счетов-фактур", f"за период {range_phrase(spec.period)}")
    columns: tuple[Column, ...] = (
        ("№", 10, "C"), ("Счет-фактура", 35, "L"), ("Дата", 25, "C"), ("Лицевой счет", 35, "L"),
        ("Без НДС", 25, "R"), ("НДС", 25, "R"), ("С НДС", 25, "R"),
    )  # fmt: skip
    rows, grand = [], Decimal(0)
    for i in range(1, rng.randint(3, 8) + 1):
        gross = Decimal(rng.randint(10_000, 5_000_000)) / 100
        vat = vat_included(spec.operator, gross)
        day = spec.period.first_day + dt.timedelta(days=rng.randint(0, 27))
        number = f"{document_number(spec)}/{i}"
        amounts = (money(gross - vat), money(vat), money(gross))
        rows.append((str(i), number, f"{day:%d.%m.%Y}", spec.account, *amounts))
        grand += gross
    sheet.table(columns, rows, footer=f"Итого: {money(grand)} {REQUISITES[spec.operator].currency}")


def _charges(sheet: _Sheet, spec: DocumentSpec) -> None:
    _heading(
        sheet,
        spec,
        "Начисления за текущий период",
        f"Расчетный период: {month_phrase(spec.period)}",
    )
    currency = REQUISITES[spec.operator].currency
    columns: tuple[Column, ...] = (("Услуга", 140, "L"), ("Сумма", 40, "R"))
    grand = Decimal(0)
    for subscriber in spec.numbers or (spec.account,):
        items = services(dataclasses.replace(spec, numbers=(subscriber,)))
        subtotal = sum((a for _, a in items), Decimal(0))
        sheet.text(f"Абонент: {subscriber}", bold=True)
        rows = [(name, money(a)) for name, a in items]
        sheet.table(columns, rows, footer=f"Итого по абоненту: {money(subtotal)} {currency}")
        grand += subtotal
    sheet.text(f"Итого начислено: {money(grand)} {currency}", bold=True, align="R")


def duration(seconds: int) -> str:
    """``00:12:34``, or empty for SMS and data sessions."""
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds else ""


def calls_by_number(spec: DocumentSpec) -> dict[str, list[Call]]:
    """The spec's calls grouped per subscriber, in the order of ``spec.numbers``."""
    if not spec.numbers:
        raise ValueError("call details need at least one subscriber number")
    grouped: dict[str, list[Call]] = {number: [] for number in spec.numbers}
    for call in generate_calls(spec):
        grouped[call.number].append(call)
    return grouped


_CALL_COLUMNS: tuple[Column, ...] = (
    ("Дата/ Date", 22, "C"), ("Время/ Time", 18, "C"),
    ("Номер собеседника/ Interlocutor number", 52, "L"), ("Услуга/ Service", 35, "L"),
    ("Длит./ Duration", 26, "C"), ("Сумма/ Charge", 27, "R"),
)  # fmt: skip
_SIP_CALL_COLUMNS: tuple[Column, ...] = (
    ("Номер А", 30, "L"), ("Номер Б", 30, "L"), ("Начало звонка", 36, "C"),
    ("Длительность, мин.", 28, "C"), ("Направление", 32, "L"), ("Сумма", 24, "R"),
)  # fmt: skip


def spoken_number(number: str) -> str:
    """A subscriber number as printed for people: ``+7 (916) 123-45-67``, ``+375 17 234-56-78``."""
    if number.startswith("375") and len(number) == 12:
        return f"+375 {number[3:5]} {number[5:8]}-{number[8:10]}-{number[10:]}"
    if len(number) == 11:
        return f"+{number[0]} ({number[1:4]}) {number[4:7]}-{number[7:9]}-{number[9:]}"
    return number


def _call_details(sheet: _Sheet, spec: DocumentSpec) -> None:
    """MTS and Kcell call details: requisites, the brand beside the title, bilingual headers.

    The bilingual headers («Дата/ Date», «Номер собеседника/ Interlocutor number») are
    MTS Business's as the issue's public examples show them; the period is printed with
    two-digit years («с 01.10.26 по 31.10.26») and the subscriber as people write it
    («+7 (916) 123-45-67»). The list of subscribers keeps the plain international form
    («+79161234567»): a list wraps over lines, and a wrap inside a spaced number would
    cut it. Kcell calls its file «Детализация счета» (``specs/kcell-cabinet.md``).
    """
    if spec.operator is Operator.SIP:
        _sip_call_details(sheet, spec)
        return
    grouped = calls_by_number(spec)
    brand = {Operator.MTS: "МТС Бизнес.", Operator.KCELL: "Kcell Business."}[spec.operator]
    title = "Детализация счета" if spec.operator == Operator.KCELL else "Детализация звонков"
    currency = REQUISITES[spec.operator].currency
    period = spec.period
    within = f"с {period.first_day:%d.%m.%y} по {period.last_day:%d.%m.%y}"
    _heading(sheet, spec, f"{brand} {title}", f"Период: {within}")
    sheet.text(f"Абонентские номера: {', '.join('+' + n for n in grouped)}")
    sheet.gap()
    for number, calls in grouped.items():
        sheet.text(f"Абонент: {spoken_number(number)}", bold=True)
        rows = [
            (f"{c.when:%d.%m.%y}", f"{c.when:%H:%M:%S}", spoken_number(c.other), c.service,
             duration(c.duration_s), money(c.charge))
            for c in calls
        ]  # fmt: skip
        sheet.table(
            _CALL_COLUMNS,
            rows,
            footer=f"Итого по номеру {number}: {money(total(calls))} {currency}",
        )
    grand = sum((total(calls) for calls in grouped.values()), Decimal(0))
    sheet.text(f"Итого по детализации: {money(grand)} {currency}", bold=True, align="R")


def _sip_call_details(sheet: _Sheet, spec: DocumentSpec) -> None:
    """A SIP operator's «Детализация телефонных звонков», after onnet/zzapp
    ``priv/templates/ru/calls_report.tpl``: «Поставщик: … ИНН: …», «Детализация
    телефонных звонков для <customer>», «период с … по …», then a table of Номер А,
    Номер Б, Начало звонка, Длительность, мин., Направление, Сумма. Issued by the
    operator that runs the cabinet (``SIP_ISSUER``): no name the robot knows."""
    grouped = calls_by_number(spec)
    name, label, tax_id = SIP_ISSUER
    period = spec.period
    sheet.text(f"Поставщик: {name} {label}: {tax_id}")
    sheet.text(f"Адрес: {REQUISITES[spec.operator].address}")
    sheet.gap(4)
    sheet.text(f"Детализация телефонных звонков для {spec.customer.name}", bold=True, align="C")
    sheet.text(f"период с {period.first_day:%d.%m.%Y} по {period.last_day:%d.%m.%Y}", align="C")
    sheet.text(f"Лицевой счет: {spec.account}", align="C")
    sheet.text(f"Абонентские номера: {', '.join(grouped)}")
    sheet.gap()
    for number, calls in grouped.items():
        rows = [
            (number, c.other, f"{c.when:%d.%m.%Y %H:%M:%S}", f"{c.duration_s / 60:.2f}",
             c.service, money(c.charge))
            for c in calls
        ]  # fmt: skip
        sheet.table(
            _SIP_CALL_COLUMNS,
            rows,
            footer=f"Итого по номеру {number}: {money(total(calls))} BYN",
        )
    grand = sum((total(calls) for calls in grouped.values()), Decimal(0))
    sheet.text(f"Итого по детализации: {money(grand)} BYN", bold=True, align="R")


_Body = Callable[[_Sheet, DocumentSpec], None]
_ALL = tuple(Operator)
_BODIES: dict[DocumentKind, tuple[_Body, tuple[Operator, ...]]] = {
    DocumentKind.INVOICE: (_invoice, _ALL),
    DocumentKind.RECONCILIATION_ACT: (_reconciliation_act, _ALL),
    DocumentKind.WORK_ACT: (_work_act, (Operator.KCELL,)),
    DocumentKind.INVOICE_REGISTER: (_invoice_register, (Operator.KCELL,)),
    DocumentKind.CHARGES: (_charges, (Operator.SIP,)),
    DocumentKind.CALL_DETAILS: (_call_details, (Operator.MTS, Operator.KCELL, Operator.SIP)),
}

SUPPORTED: frozenset[tuple[Operator, DocumentKind]] = frozenset(
    (operator, kind) for kind, (_, operators) in _BODIES.items() for operator in operators
)


def render_pdf(spec: DocumentSpec, *, scan: bytes | None = None) -> bytes:
    """Render the document a spec describes as an operator's PDF.

    Args:
        spec: What to render; ``spec.format`` is not consulted (this is the PDF renderer).
        scan: a JPEG of the signature and stamp, printed under the body at full page
            width, as operators print them on invoices (most of such a file's bytes).

    Returns:
        The PDF bytes, identical for identical specs.

    Raises:
        ValueError: The operator does not issue this kind of document as PDF, or call
            details were asked for without subscriber numbers.
    """
    if (spec.operator, spec.kind) not in SUPPORTED:
        raise ValueError(f"no PDF {spec.kind} for {spec.operator}")
    sheet = _Sheet()
    _BODIES[spec.kind][0](sheet, spec)
    if scan is not None:
        sheet.gap(5)
        sheet.pdf.image(io.BytesIO(scan), w=sheet.pdf.epw)
    return sheet.output()
