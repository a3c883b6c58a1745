"""The Kcell «Кабинет»'s words: from the operator's manual (specs/kcell-cabinet.md) and
the messages the robot's page objects look for (the screen contract). Change nothing
here lightly. Texts the contract does not name are marked "not in the contract".
"""

from __future__ import annotations

# -- every page ------------------------------------------------------------------------------

BRAND = "Kcell"
LANGUAGE = "РУССКИЙ"
EXPIRED = "Сессия истекла. Войдите снова."

# -- login -----------------------------------------------------------------------------------

LOGIN_HEADING = "Вход в Kcell Business ID"
PHONE_LABEL = "Номер телефона"
PHONE_HINT = "* Номер телефона в формате 77012223344"
PHONE_PLACEHOLDER = "Введите номер телефона"
PASSWORD_LABEL = "Ваш пароль"
FORGOT = "Забыли пароль?"
LOGIN_BUTTON = "Войти"
REGISTER = "Регистрация"
PROMO_HEADING = "Управляйте номерами в один клик!"
PROMO_TEXT = (
    "Получите доступ к продуктам мобильной связи, управляйте телефонными номерами "
    "сотрудников и подключайте услуги мобильно!"
)
BAD_PHONE = "Номер телефона в формате 77012223344"
BAD_LOGIN = "Неверный номер телефона или пароль"
FIRST_LOGIN = "Для первого входа воспользуйтесь функцией «Забыли пароль?»"
REGISTER_HEADING = "Регистрация"  # not in the contract: the robot never registers
REGISTER_TEXT = (
    "Для подключения к «Кабинету» обратитесь к вашему персональному менеджеру Kcell "
    "Business или в службу поддержки корпоративных клиентов."
)

# -- the expired password ---------------------------------------------------------------------

CHANGE_HEADING = "Смена пароля"
PASSWORD_EXPIRED = "Срок действия пароля истек. Вам необходимо изменить пароль."
NEW_PASSWORD_LABEL = "Ваш новый пароль"
REPEAT_NEW_PASSWORD_LABEL = "Повторите ваш новый пароль"
SAVE = "Сохранить"
WRONG_PASSWORD = "Неверный пароль"  # not in the contract: the current password is wrong

# -- «Забыли пароль?» -------------------------------------------------------------------------

RECOVERY_HEADING = "Восстановление пароля"
RECOVERY_INTRO = "Для восстановления пароля следуйте указанным инструкциям"
NEXT = "Далее"
BACK_TO_LOGIN = "← Назад ко входу"
UNKNOWN_PHONE = "Номер не зарегистрирован"
CODE_INTRO = "Введите SMS код отправленный на ваш номер"
CODE_LABEL = "SMS код"
CODE_PLACEHOLDER = "Введите код"
CODE_SENT = "SMS код успешно выслан"  # the manual's green box (not in the contract)
RESEND = "Отправить код на телефон"
RESEND_WAIT = "Повторная отправка через {seconds} сек."
CANCEL = "Отмена"
WRONG_CODE = "Неверный SMS код"
# Not in the contract: a code typed too late, or wrong too many times: start again.
CODE_EXPIRED = "Срок действия SMS кода истек. Запросите код повторно."
CODE_TOO_MANY = "Превышено количество попыток ввода SMS кода. Запросите код повторно."
ACTIVATE = "Вам необходимо изменить пароль, чтобы активировать Вашу учетную запись"
RECOVERY_NEW_LABEL = "Новый пароль"
RECOVERY_REPEAT_LABEL = "Подтверждение пароля"
CONFIRM = "Подтвердить"
MISMATCH = "Пароли не совпадают"
WEAK = "Пароль должен содержать не менее 8 символов, буквы и цифры"

# -- after login: the menu and the company ---------------------------------------------------

MAIN_MENU = "Главное меню"
MENU = (
    ("Управление номерами", "/numbers"),
    ("Документы и отчеты", "/documents"),
    ("Мой профиль", "/profile"),
)
LOGOUT = ("Выход", "/logout")
COMPANY_LABEL = "Выбор компании"
CHOOSE = "Выбрать"

# -- «Управление номерами» -------------------------------------------------------------------

NUMBERS_HEADING = "Управление номерами"
SEARCH = "Поиск"
SEARCH_PLACEHOLDER = "Номер телефона или лицевой счет"
COLUMNS = (
    "Номер",
    "Лицевой счет",
    "Тарифный план",
    "Метод расчета",
    "Статус",
    "Доступные средства",
)
NOTHING_FOUND = "Номера не найдены"  # not in the contract: a search without results

# -- «Информация по номеру» ------------------------------------------------------------------

NUMBER_HEADING = "Информация по номеру"
DETAILS = "Детализация"
BLOCK = "Блокировка"
TARIFF = "Тариф"
FUNDS = "Доступные средства"
CREDIT_LIMIT = "Кредитный лимит"
GENERAL = "Общая информация"
METHOD = "Метод расчета:"
ACCOUNT = "Лицевой счет:"
BACK_TO_NUMBERS = "Назад к списку номеров"
# Not in the contract (the robot never blocks a number): «Блокировка» and its confirmation.
UNBLOCK = "Разблокировка"
BLOCKED = "Заблокирован"
BLOCK_HEADING = "Заблокировать номер"
UNBLOCK_HEADING = "Разблокировать номер"
BLOCK_QUESTION = "Вы уверены, что хотите заблокировать данный номер?"
UNBLOCK_QUESTION = "Вы уверены, что хотите разблокировать данный номер?"
BLOCK_YES = "Да, уверен"
BLOCK_NO = "Отменить"
BLOCK_DONE = "Номер заблокирован"
UNBLOCK_DONE = "Номер разблокирован"

# -- «Детализация» ---------------------------------------------------------------------------

DETAILS_INTRO = (
    "Выберите период и способ отображения детализации. Данные для выгрузки доступны за "
    "последние 90 дней, включая текущий. Детализация вызовов за текущие сутки может быть "
    "неполной в связи с периодичностью обновления данных."
)
PERIOD_CAPTION = "Начало и конец периода"
START = "Начало периода"
END = "Конец периода"
OUTPUT = "Вывод"
OUTPUTS = (("screen", "На экран"), ("pdf", "Файл формата PDF"), ("xls", "Файл формата XLS"))
REQUEST_DETAILS = "Запросить детализацию"
DETAILS_RANGE = "Данные для выгрузки доступны за последние 90 дней, включая текущий"
CALL_COLUMNS = ("Дата", "Время", "Номер", "Услуга", "Длительность", "Стоимость, ₸")
NO_CALLS = "За выбранный период вызовов нет"  # not in the contract

# -- «Документы и отчеты» --------------------------------------------------------------------

DOCUMENTS_HEADING = "Документы и отчеты"
DOCUMENTS_INTRO = "Выберите документ или отчет в меню."  # not in the contract
# (side menu link, path, heading of its page)
SECTIONS = (
    ("История платежей", "/documents/payments-history", "История платежей"),
    (
        "Поиск мобильного номера по номеру счета-фактуры",
        "/documents/invoice-number",
        "Поиск мобильного номера по номеру счета-фактуры",
    ),
    ("История действий", "/documents/actions", "История действий"),
    (
        "Отчет по списку номеров",
        "/documents/numbers-report",
        "Отчет по списку номеров (бета-режим)",
    ),
    (
        "Акт выполненных работ и расшифровка к счету-фактуре",
        "/documents/work-act",
        "Акт выполненных работ и расшифровка к счету-фактуре",
    ),
    ("Реестр счетов-фактур", "/documents/invoice-register", "Реестр счетов-фактур"),
    ("Акт сверки", "/documents/reconciliation-act", "Акт сверки (бета-режим)"),
    (
        "Отчет по зарегистрированным устройствам",
        "/documents/devices-report",
        "Отчет по зарегистрированным устройствам (бета-режим)",
    ),
    ("Отчет по платежам", "/documents/payments-report", "Отчет по платежам (бета-режим)"),
)
EMAIL_LABEL = "Электронная почта"
EMAIL_PLACEHOLDER = "Введите свой email"
BAD_EMAIL = "Введите корректный email"
PERIOD_PROMPT = "Укажите начало и конец периода"
REQUEST = "Запросить"
SEND = "Отправить"
REPORT_SENT = "Отчет будет отправлен на адрес {email}"
PREPARING = (
    "Подготовка данных может занять некоторое время. Время, на которое данные в отчете "
    "актуальны, будет указано в отправленном отчете (бета-режим)."
)
# Not in the contract: a period whose start is after its end (every page with a period).
START_AFTER_END = "Начало периода не может быть позже конца периода"
# Not in the contract: a period that ends after today (acts and reports by e-mail).
FUTURE_END = "Конец периода не может быть позже текущей даты"

# a) «Акт выполненных работ и расшифровка к счету-фактуре»
WORK_ACT_INTRO = (
    "Позволяет скачать акты выполненных работ и расшифровки к счетам-фактурам по услугам "
    "сотовой связи. Поиск документов можно осуществить по лицевому счету или по мобильному "
    "номеру."
)
WORK_ACT_AFTER_5TH = (
    "Внимание! Акты выполненных работ за прошедший учетный месяц доступны после 5 числа месяца."
)
WORK_ACT_AFTER_5TH_REFUSAL = (
    "Акты выполненных работ за прошедший учетный месяц доступны после 5 числа месяца."
)
WORK_ACT_SINCE = "Акты выполненных работ доступны с 1 января 2018 года."
WORK_ACT_TABS = (
    ("account", "Поиск по номеру лицевого счета"),
    ("phone", "Поиск по номеру телефона"),
)
ACCOUNT_LABEL = "Лицевой счет"
YEAR = "Год"
MONTH = "Месяц"
MONTH_NAMES = (
    "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь",
    "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь",
)  # fmt: skip
TO_PDF = "Загрузить в PDF"
TO_EXCEL = "Загрузить в Excel"
WORK_ACT_NOT_READY = "Акт выполненных работ за выбранный период еще не сформирован"
ACCOUNT_NOT_FOUND = "Лицевой счет не найден"

# b) «Реестр счетов-фактур»
REGISTER_INTRO = "Позволяет скачать «Реестр счетов-фактур» за указанный вами период."
REGISTER_FROM_4TH = (
    "Внимание! Реестр счетов-фактур за прошедший учетный месяц доступен с 4 числа месяца."
)
REGISTER_FROM_4TH_REFUSAL = (
    "Реестр счетов-фактур за прошедший учетный месяц доступен с 4 числа месяца."
)
REGISTER_NOT_READY = "Реестр счетов-фактур за выбранный период еще не сформирован"

# c) «Акт сверки»
RECONCILIATION_INTRO = "Позволяет заказать отправку отчета «Акт сверки» на указанный Вами email."
RECONCILIATION_12_MONTHS = "Максимальный период запроса 12 месяцев от текущей даты."
RECONCILIATION_AFTER_3RD = (
    "Внимание! Акты сверки за прошедший учетный месяц доступны после 3 числа месяца."
)
RECONCILIATION_AFTER_3RD_REFUSAL = (
    "Акты сверки за прошедший учетный месяц доступны после 3 числа месяца."
)
RECONCILIATION_SENT = "Акт сверки будет отправлен на адрес {email}"

# d) «Отчет по списку номеров»
NUMBERS_REPORT_INTRO = (
    "Отчет содержит информацию о типе лицевого счета, методе расчета, доступных средствах, "
    "кредитном лимите, текущем балансе, количестве номеров на лицевом счете и дате "
    "действия баланса."
)
NUMBERS_REPORT_PREPARING = (
    "Подготовка данных может занять некоторое время. Сформированный отчет будет отправлен "
    "на указанный Вами email."
)

# e) «Отчет по платежам»
PAYMENTS_INTRO = (
    "Подготовка данных может занять некоторое время. Сформированный отчет по платежам будет "
    "отправлен на указанный Вами email. Время, на которое данные в отчете актуальны, будет "
    "указано в отправленном отчете (бета-режим)."
)
PAYMENTS_3_MONTHS = "Максимальный период запроса 3 месяца от текущей даты."
PAYMENT_TYPE = "Типы платежей"
PAYMENT_TYPES = (
    ("all", "Все платежи"),
    ("credit", "Кредитные номера"),
    ("advance", "Авансовые номера"),
)

# f) «Отчет по зарегистрированным устройствам»
DEVICES_INTRO = (
    "Отчет содержит список устройств (IMEI), зарегистрированных с номерами компании. "
    "Сформированный отчет будет отправлен на указанный Вами email."
)

# g) the other three
PAYMENTS_HISTORY_INTRO = (
    "История платежей по лицевым счетам с кредитным методом расчета. Для получения "
    "информации по номерам с авансовым методом расчета - воспользуйтесь соответствующей "
    "услугой на странице управление номером."
)
INVOICE_NUMBER_INTRO = (
    "Позволяет определить мобильный (GSM) номер(-а) по регистрационному номеру или номеру "
    "учетной системы из электронного счета-фактуры полученного в ИС ЭСФ"
)
ACTIONS_INTRO = "Действия администраторов компании в «Кабинете»."  # not in the manual
ACTION_COLUMNS = ("Действие", "Статус", "Дата и время", "Администратор")
NO_ACTIONS = "Действий за выбранный период нет"
SUCCESS = "Успешно"

# -- «Мой профиль» ---------------------------------------------------------------------------

PROFILE_HEADING = "Мой профиль"
MY_COMPANIES = "Мои компании"
PROFILE_PHONE = "Номер телефона администратора:"
COMPANY_TAX_ID = "БИН"
COMPANY_FULL_NAME = "Полное название компании"
COMPANY_SHORT_NAME = "Сокращенное название компании"


# The single-page markup's captions, as the manual writes them (capitals, «*» for the
# required fields); the others are written as above.
SPA_LABELS = {
    PHONE_LABEL: "НОМЕР ТЕЛЕФОНА*",
    PASSWORD_LABEL: "ВАШ ПАРОЛЬ",
    CODE_LABEL: "SMS код*",
    RECOVERY_NEW_LABEL: "НОВЫЙ ПАРОЛЬ",
    RECOVERY_REPEAT_LABEL: "ПОДТВЕРЖДЕНИЕ ПАРОЛЯ",
    NEW_PASSWORD_LABEL: "ВАШ НОВЫЙ ПАРОЛЬ",
    PERIOD_CAPTION: "НАЧАЛО И КОНЕЦ ПЕРИОДА",
    OUTPUT: "ВЫВОД",
}
# Not in the manual (it shows four numbers): the numbers list is paged by this many, its
# arrows titled so.
NUMBERS_PER_PAGE = 10
PREVIOUS_PAGE = "Предыдущая страница"
NEXT_PAGE = "Следующая страница"
PROFILE_BUTTON = "Мой профиль"  # «с помощью кнопки в правом верхнем углу»: an icon
REFRESH = "Обновить"  # «Для обновления статуса нажмите на кнопку»: an icon
EDIT = "Изменить"  # an icon beside a company's short name (not in the contract)


def phone_text(phone: str) -> str:
    """``77012223344`` as the cabinet writes it: ``+7 701 222 33 44``."""
    if len(phone) == 11 and phone.isdigit():
        return f"+{phone[0]} {phone[1:4]} {phone[4:7]} {phone[7:9]} {phone[9:]}"
    return phone


def resend_wait(seconds: int) -> str:
    """«Повторная отправка через 42 сек.»"""
    return RESEND_WAIT.format(seconds=seconds)
