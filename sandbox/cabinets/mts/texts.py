"""The MTS «Виртуальный менеджер»'s words: from the operator's manual
(specs/mts-virtual-manager.md) and the messages the robot's page objects look for (the
screen contract). Change nothing here lightly.
"""

from __future__ import annotations

from sandbox.documents.model import plural

# -- login -----------------------------------------------------------------------------------

TOP_NAV = ("Частным клиентам", "Корпоративным клиентам", "О компании", "Дилерам")
SERVICE_NAV = ("English", "Главная", "Карта сайта", "Поиск")
BLOCK = "ВИРТУАЛЬНЫЙ МЕНЕДЖЕР"  # the block on the manual's login page
LOGIN_HEADING = "Вход в Виртуальный менеджер"
LOGIN_INTRO = (
    "Позволяет получить доступ к счетам корпоративных абонентов, подключать и отключать "
    "различные услуги МТС, формировать отчетность."
)
MORE = "Подробнее о Виртуальном менеджере"
NUMBER_LABEL = "Номер:"
NUMBER_PREFIX = "+7"
NUMBER_HINT = "Например, 9161234567"
PASSWORD_LABEL = "Пароль:"
LOGIN_BUTTON = "Войти"
BAD_NUMBER = "Введите номер в формате 9161234567"
BAD_LOGIN = "Неверный номер или пароль"
LOCKED = (
    "Вход заблокирован из-за неоднократного ввода неверного пароля. "
    "Повторите попытку через {minutes}."
)
EXPIRED = "Сеанс работы завершен. Войдите снова."

# -- SMS step (a sandbox setting; the manual shows none) -------------------------------------

SMS_HEADING = "Подтверждение входа"
SMS_SENT = "На номер {phone} отправлен код подтверждения."
SMS_LABEL = "Код из SMS:"
SMS_BUTTON = "Подтвердить"
SMS_WRONG = "Неверный код подтверждения"
SMS_TOO_MANY = "Код подтверждения введен неверно несколько раз. Войдите снова."
# Not in the contract: a code typed after its 5 minutes.
SMS_EXPIRED = "Срок действия кода подтверждения истек. Войдите снова."

# -- the main screen -------------------------------------------------------------------------

MAIN_HEADING = "Виртуальный менеджер"
TABS = (
    "Операции с номерами",
    "История действий",
    "Управление иерархией",
    "Счета",
    "Пользователи",
    "Роли",
    "Обращения",
)
TAB_PLACEHOLDER = "Нет данных для отображения."  # the tabs the robot never uses
HIERARCHY = "Иерархия"
HIERARCHIES = ("Биллинговая", "Административная")
FILTER = "Фильтр"
CHOSEN = "Выбранные"
TREE_LABEL = "Лицевые счета"
ACCOUNT_ITEM = "Лицевой счет {account}"
SELECTION = "Текущая выборка"
SELECTION_ONE = "Текущая выборка ({count}): один контракт, однотиповая"
SELECTION_MANY = "Текущая выборка ({count}): несколько контрактов"
COLUMNS = ("Тип", "Абонентский номер", "Папка", "ФИО")
NUMBER_TYPE = "GSM"
CLEAR = "Очистить выборку"  # the accessible markup only: not in the manual
DROP_HINT = "Перетащите сюда лицевой счет или номера из иерархии"
ORDER = "Заказать документ"
INVOICES = "Сформированные счета закрытых расчётных периодов"
DETAILS = "Детализация разговоров"
LOGOUT = "Выход"

# -- the «Документ» dialog -------------------------------------------------------------------

DIALOG = "Документ"
PERIOD = "Период"
DATE_FROM = "Период с"
DATE_TO = "по"
SEND_TO = "Отправить на"
FORMAT = "Формат данных"
FORMATS = ("PDF", "XML", "HTML")
WARNING = (
    "Из-за большого размера файла, некоторые почтовые серверы могут отказать в получении "
    "данного письма."
)
RULES_BEFORE = "Я принимаю"
RULES_LINK = "правила использования системы"
RULES_HEADING = "Правила использования системы"
RULES_TEXT = (
    "Пользователь Виртуального менеджера обязуется не передавать третьим лицам пароль "
    "доступа и сведения об абонентах, полученные с его помощью. Документы направляются "
    "только на адреса электронной почты, указанные пользователем при заказе."
)
SUBMIT = "Заказать"
CANCEL = "Отмена"
CLOSE = "Закрыть"  # the accessible markup only: not in the manual
RULES_NOT_ACCEPTED = "Необходимо принять правила использования системы"
BAD_EMAIL = "Укажите корректный адрес электронной почты"
PERIOD_RANGE = "Период детализации должен быть в пределах последних шести месяцев"
START_AFTER_END = "Дата начала периода не может быть позже даты окончания"
EMPTY_SELECTION = "Выберите номера в текущей выборке"
NO_INVOICE = "Счет за выбранный период недоступен"
# Not in the contract: a format the document is not offered in (a forged request).
BAD_FORMAT = "Выберите формат данных"
ORDERED = "Документ заказан и будет отправлен на адрес {email}"


def selected_text(count: int) -> str:
    """«Выбрано 3 номера»."""
    return f"Выбрано {count} {plural(count, 'номер', 'номера', 'номеров')}"


def selection_heading(count: int, accounts: int) -> str:
    """The heading of «Текущая выборка» for ``count`` numbers of ``accounts`` accounts."""
    if count == 0:
        return SELECTION
    return (SELECTION_ONE if accounts == 1 else SELECTION_MANY).format(count=count)


def locked_text(minutes: int) -> str:
    """The lockout alert: "... Повторите попытку через 15 минут."."""
    return LOCKED.format(minutes=f"{minutes} {plural(minutes, 'минуту', 'минуты', 'минут')}")


def phone_text(phone: str) -> str:
    """``79161234567`` as the cabinet writes it: ``+7 916 123-45-67``."""
    if len(phone) == 11 and phone.isdigit():
        return f"+{phone[0]} {phone[1:4]} {phone[4:7]}-{phone[7:9]}-{phone[9:]}"
    return phone
