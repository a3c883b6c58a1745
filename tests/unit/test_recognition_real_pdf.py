"""Operator PDFs in the layouts the operators really print, built here with fpdf2 from the
public sources in sandbox/documents/SOURCES.md, independently of the sandbox's renderers.

One test per layout: the Russian счёт-фактура of Постановление № 1137, the Kazakh «Счет на
оплату» and act Р-1, the reconciliation act between two parties, a SIP operator's invoice
and call details issued by a company the robot cannot know, and MTS call details that
name no legal entity at all.
"""

from __future__ import annotations

import pytest

from robots.domain import DocumentKind, Operator, Period
from robots.recognition import recognise
from robots.recognition.common import Recognition, UnknownIssuer
from support.documents import pdf_of as support_pdf_of

OCTOBER = Period(year=2026, month=10)


def pdf_of(lines: list[str]) -> bytes:
    return support_pdf_of(lines, font_size=9)


def fields(got: Recognition) -> tuple[object, ...]:
    return got.operator, got.kind, got.period, got.account


def test_russian_tax_invoice_with_the_seller_in_straight_quotes() -> None:
    # onnet/zzapp priv/templates/ru/invoice.tpl: no «ИНН 7740000076» as one phrase.
    data = pdf_of(
        [
            "СЧЕТ-ФАКТУРА № 2610-481516 от 05.11.2026",
            "ИСПРАВЛЕНИЕ № --- от -------",
            "за оказанные услуги электросвязи за период: 01.10.2026 - 31.10.2026",
            "Приложение №1 к постановлению Правительства Российской Федерации",
            "от 26.12.2011 г. № 1137",
            'Продавец: ПАО "МТС"',
            "Адрес: 109147, г. Москва, ул. Марксистская, д. 4",
            "ИНН/КПП продавца: 7740000076 / 770901001",
            "Покупатель: ООО «Ромашка»",
            "ИНН/КПП покупателя: 7701234567 / 770101001",
            "Валюта: наименование, код Российский рубль, 643",
            "Дополнительные сведения: услуги связи по лицевому счету № 277012345678",
            "Всего к оплате: 1 234,50",
        ]
    )
    got = recognise(data)
    assert fields(got) == (Operator.MTS, DocumentKind.INVOICE, OCTOBER, "277012345678")
    evidence = dict(got.evidence)
    assert evidence["operator"] == 'text «ПАО "МТС"»'
    assert evidence["period"] == "text «01.10.2026 - 31.10.2026»"


def test_kazakh_invoice_for_payment_with_bin_iin_and_a_short_account() -> None:
    data = pdf_of(
        [
            'Бенефициар: АО "Кселл"',
            "БИН: 980540000397    ИИК: KZ926017131000012345    Кбе: 17",
            'Банк бенефициара: АО "Народный Банк Казахстана"    БИК: HSBKKZKX',
            "Код назначения платежа: 859",
            "Счет на оплату № 2610-77 от 05.11.2026",
            'Поставщик: БИН / ИИН 980540000397, АО "Кселл", г. Алматы',
            "Покупатель: БИН / ИИН 123456789012, ТОО «Кабинет»",
            "Назначение: оплата услуг связи за октябрь 2026г. по л/с 1040123456",
        ]
    )
    got = recognise(data)
    assert fields(got) == (Operator.KCELL, DocumentKind.INVOICE, OCTOBER, "1040123456")
    assert dict(got.evidence)["account"] == "text «л/с 1040123456»"


def test_kazakh_act_of_work_in_form_r1() -> None:
    data = pdf_of(
        [
            "Приложение 50 к приказу Министра финансов Республики Казахстан",
            "Форма Р-1",
            "Заказчик: БИН/ИИН 123456789012 ТОО «Кабинет»",
            "Исполнитель: БИН/ИИН 980540000397 АО «Кселл»",
            "Договор (контракт): лицевой счет № 1040123456",
            "АКТ ВЫПОЛНЕННЫХ РАБОТ (ОКАЗАННЫХ УСЛУГ)",
            "1  Услуги сотовой связи за октябрь 2026 г.  усл.  1  5 000,00",
        ]
    )
    got = recognise(data)
    assert fields(got) == (Operator.KCELL, DocumentKind.WORK_ACT, OCTOBER, "1040123456")


def test_reconciliation_act_between_two_parties_with_the_unp() -> None:
    data = pdf_of(
        [
            "Акт сверки взаимных расчетов",
            "за период: 01.10.2026 - 31.10.2026",
            "между УП «А1» и ООО «Ромашка» по лицевому счету 25602051",
            "УНП 101528843",
            "По данным УП «А1», BYN          По данным ООО «Ромашка», BYN",
            "Дата  Документ  Дебет  Кредит   Дата  Документ  Дебет  Кредит",
            "Сальдо начальное 120,00",
            "05.10.2026  Счет № 2609-1 от 05.10.2026  80,00",
            "Сальдо конечное 200,00",
        ]
    )
    got = recognise(data)
    assert fields(got) == (Operator.A1, DocumentKind.RECONCILIATION_ACT, OCTOBER, "25602051")


def test_sip_invoice_of_an_operator_the_robot_cannot_know() -> None:
    # onnet/zzapp priv/templates/ru/calls_report.tpl: «Поставщик: … ИНН: …» above the title.
    data = pdf_of(
        [
            "Поставщик: ООО «Телеком Регион» УНП: 192845617",
            "Адрес: 220004, г. Минск, пр. Победителей, 7",
            "Счет № 2610-42 от 05.11.2026",
            "за услуги связи в период с 01.10.26 по 31.10.26",
            "Плательщик: ООО «Ромашка»",
            "Номер лицевого счета: 1100023456",
            "Итого к оплате: 345,00 BYN",
        ]
    )
    with pytest.raises(UnknownIssuer) as raised:
        recognise(data)
    got = raised.value.recognition
    assert fields(got) == (None, DocumentKind.INVOICE, OCTOBER, "1100023456")
    assert "Телеком Регион" in got.parties and "192845617" in got.parties
    assert dict(got.evidence)["period"] == "text «01.10.26 по 31.10.26»"


def test_sip_call_details_titled_for_the_customer() -> None:
    data = pdf_of(
        [
            "Поставщик: ООО «Телеком Регион» ИНН: 7701234567 КПП: 770101001",
            "Детализация телефонных звонков для ООО «Ромашка»",
            "период с 01.10.2026 по 31.10.2026",
            "Лицевой счет: 1100023456",
            "№  Номер А  Номер Б  Начало звонка  Длительность, мин.  Направление  Сумма, руб.",
            "1  375172345678  375291112233  01.10.2026 09:00:00  1,50  Мобильные  0,30",
        ]
    )
    with pytest.raises(UnknownIssuer) as raised:
        recognise(data)
    got = raised.value.recognition
    assert fields(got) == (None, DocumentKind.CALL_DETAILS, OCTOBER, "1100023456")


def test_mts_call_details_naming_no_legal_entity_are_left_to_the_sender() -> None:
    data = pdf_of(
        [
            "МТС Бизнес. Детализация звонков",
            "Номер лицевого счета: 277012345678",
            "Период: с 01.10.26 по 31.10.26",
            "Абонент: +7 (916) 123-45-67",
            "Дата/ Date  Время/ Time  Номер собеседника/ Interlocutor number  Сумма/ Charge",
            "01.10.26  09:12:00  +7 (916) 111-22-33  0,00",
        ]
    )
    got = recognise(data)  # no company named at all: no UnknownIssuer, the sender decides
    assert fields(got) == (None, DocumentKind.CALL_DETAILS, OCTOBER, "277012345678")
    assert got.numbers == ("79161234567",)
    assert got.parties == ()


def test_the_account_number_sign_written_as_a_latin_n() -> None:
    # KOI8-R and ASCII have no «№»: a re-encoded A1 text invoice prints «ЛС N …».
    data = pdf_of(
        ["УНП 101528843", "СЧЕТ N 2610-5 от 05.11.2026", "Период: 10.2026", "ЛС N 25602051"]
    )
    got = recognise(data)
    assert fields(got) == (Operator.A1, DocumentKind.INVOICE, OCTOBER, "25602051")
