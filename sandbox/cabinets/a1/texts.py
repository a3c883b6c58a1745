"""The A1 business cabinet's words: from the operator's manual
(specs/a1-business-cabinet.md) and the messages the robot's page objects look for (the
screen contract). Change nothing here lightly. Texts the contract does not name are
marked "not in the contract".
"""

from __future__ import annotations

BRAND = "A1"
EXPIRED = "Сессия истекла. Войдите снова."

# -- login -----------------------------------------------------------------------------------

LOGIN_HEADING = "Вход в аккаунт"
CHOOSE_METHOD = "Выберите способ авторизации"
BACK = "← Назад"
# (method, tab name) in the manual's order; «Пароль» is selected by default.
METHODS = (("sms", "SMS"), ("password", "Пароль"), ("account", "Лицевой счет"), ("email", "Email"))
DEFAULT_METHOD = "password"
MOBILE = "Управление абонентами мобильной связи"
FIXED = "Управление абонентами фиксированной связи"
SMS_NOTE = "SMS-код может быть использован только один раз. Ваш постоянный пароль не изменится"
PHONE_LABEL = "Номер телефона"
PHONE_PREFIX = "+375"
PASSWORD_LABEL = "Пароль"
ACCOUNT_LABEL = "Лицевой счет"
EMAIL_LABEL = "Email"
SEND_CODE = "Выслать код подтверждения"
CODE_LABEL = "Код подтверждения"
LOGIN_BUTTON = "Войти в аккаунт"
FORGOT = "Забыли пароль"
REGISTER = "Зарегистрироваться >"
BAD_LOGIN = "Неверные данные для входа"
WRONG_CODE = "Неверный код подтверждения"
# Not in the contract: a code typed too late or wrong too many times: send a new one.
CODE_EXPIRED = "Срок действия кода истек. Запросите новый код."
FORGOT_TEXT = (  # not in the contract: the robot never recovers a password
    "Для восстановления пароля обратитесь в службу поддержки корпоративных клиентов A1."
)

# -- the role ------------------------------------------------------------------------------

ROLE_HEADING = "Выберите способ входа"
ROLES = (
    ("subscriber", "Абонент", "Управление услугами и информация только по своему номеру"),
    (
        "administrator",
        "Администратор",
        "Управление услугами абонентов и финансовая информация по всему лицевому счету",
    ),
    (
        "supervisor",
        "Супервайзер",
        "Управление услугами абонентов и финансовая информация по нескольким лицевым "
        "счетам клиента",
    ),
)
ROLE_UNAVAILABLE = "Роль недоступна для этого входа"

# -- every page after login --------------------------------------------------------------

MAIN_MENU = "Главное меню"
MENU = (
    ("Главная", "/main"),
    ("Абоненты", "/subscribers"),
    ("Счета", "/finance/invoices"),
    ("Платежи", "/finance/payments"),
    ("Детализация на Email", "/finance/details"),
    ("Акт сверки", "/finance/reconciliation"),
)
FINANCE = "Финансы"
LOGOUT = ("Выход", "/logout")
ACCOUNT_SELECT = "Лицевой счет"
CHOOSE = "Выбрать"
KIND_MOBILE = "мобильная связь"
KIND_FIXED = "фиксированная связь"

# -- «Главная» ----------------------------------------------------------------------------

MAIN_HEADING = "Главная"
ACCOUNT_REGION = "Лицевой счет"
ACCOUNT_TITLE = "Лицевой счет {account}"
BALANCE = "Баланс:"
TO_PAY = "К оплате:"
LAST_MONTH = "Начисления за предыдущий месяц:"
STATUS = "Статус:"
PAYMENT_FORM = "Форма оплаты:"
ACTIVE = "Активный"
NO_PREPAYMENT = "Без предоплаты"
DELIVERY_REGION = "Доставка счета"
DELIVERY_EMAIL = "Email адрес:"
DELIVERY_FORMAT = "Формат:"
EDIT = "Изменить"
FORMATS = ("PDF", "Excel", "txt")

# -- «Доставка счета» ----------------------------------------------------------------------

DELIVERY_HEADING = "Доставка счета"
DELIVERY_EMAIL_LABEL = "Email адрес"
FORMAT_LABEL = "Формат"
SAVE = "Сохранить"
CANCEL = "Отмена"
BAD_EMAIL = "Введите корректный адрес электронной почты"
DELIVERY_SAVED = "Данные доставки счета изменены"

# -- «Счета» ------------------------------------------------------------------------------

INVOICES_HEADING = "Счета"
PERIOD_LABEL = "Период"
SEND_INVOICE = "Отправить счет"
INVOICE_SENT = "Счет за {month} отправлен на адрес {email}"  # month: «октябрь 2026 г.»
MONTH_NAMES = (
    "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь",
    "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь",
)  # fmt: skip

# -- «Платежи» (not used by the robot) -----------------------------------------------------

PAYMENTS_HEADING = "Платежи"
PAYMENTS_COLUMNS = ("Дата", "Сумма", "Способ оплаты")

# -- «Детализация на Email» ----------------------------------------------------------------

DETAILS_HEADING = "Детализация на Email"
DETAILS_INTRO = "Выберите необходимый период: год и месяц (доступен период 3 года)."
YEAR_LABEL = "Год"
MONTH_LABEL = "Месяц"
CHOICE_LEGEND = "Способ ввода абонента"  # the manual's «Операции со списком абонентов» forms
FROM_LIST = "Выбрать из списка"
CHOICE_TITLE = "Выбор абонентов"  # above the list to tick
FROM_FILE = "Загрузить файл"
FILE_LABEL = "Файл xlsx"
FILE_HINT = "Загружаемый файл должен содержать только 12-значные номера абонентов в столбик."
NEXT = "Далее"
PERIOD_UNAVAILABLE = "Детализация за выбранный период недоступна"
NOT_XLSX = "Загрузите файл в формате xlsx"
BAD_FILE = "Файл должен содержать только 12-значные номера абонентов в столбик"
NOT_ON_ACCOUNT = "Номера не найдены на лицевом счете: {numbers}"
DETAILS_COLUMNS = ("Номер", "Тариф", "Статус")
SELECT_ALL = "Выбрать всех"
SELECTED = "Выбрано абонентов {count}"
CONTINUE = "Продолжить"
NONE_SELECTED = "Выберите абонентов"
DIALOG = "Подтверждение"
DIALOG_TEXT = (
    "Детализация будет отправлена на адрес электронной почты, указанный для доставки счетов."
)
CONFIRM = "Подтвердить"
DETAILS_ORDERED = "Детализация заказана"

# -- «Акт сверки» -------------------------------------------------------------------------

RECONCILIATION_HEADING = "Акт сверки"
RECONCILIATION_INTRO = (
    "Выберите необходимый период (доступен период 3 года) и нажмите Далее. По умолчанию Акт "
    "сверки будет отправлен на адрес электронной почты, указанный для доставки счетов. При "
    "необходимости вы можете указать другой адрес. Обработка заявки до 10 рабочих дней."
)
# The single-page markup's one range field «Период»: the manual shows no format; its dates
# are written 09/06/2023 («История заявок»), the dash between the two is assumed.
RANGE_PLACEHOLDER = "ДД/ММ/ГГГГ – ДД/ММ/ГГГГ"
RANGE_FORMAT = "{start:%d/%m/%Y} – {end:%d/%m/%Y}"
START_LABEL = "Начало периода"
END_LABEL = "Конец периода"
THREE_YEARS = "Доступен период 3 года"
RECONCILIATION_SENT = "Акт сверки будет отправлен на адрес {email}"

# -- «Абоненты» ---------------------------------------------------------------------------

SUBSCRIBERS_HEADING = "Абоненты"
SEARCH_LABEL = "Поиск"
SEARCH_PLACEHOLDER = "Номер телефона или SIM"
FIND = "Найти"
TARIFF_LABEL = "Тариф"
STATUS_LABEL = "Статус"
ALL = "Все"
SUBSCRIBER_COLUMNS = ("Номер", "Имя", "SIM", "Тариф", "Статус")
EXPORT = "Выгрузка в Excel"
NOTHING_FOUND = "Абоненты не найдены"  # not in the contract: a search without results
