"""The sandbox's A1 business cabinet («Личный кабинет для юридических лиц»), where one
person is Администратор of a mobile account and Супервайзер of all the client's accounts.

Screens, labels and messages follow the operator's manual
(``specs/a1-business-cabinet.md``) and the screen contract the robot's page objects are
written against. Modules, as in every cabinet package:

- ``cabinet``: the cabinet class, its settings, the four login methods (SMS code,
  password, personal account, e-mail), the role choice, the account switch, «Главная»
  with «Доставка счета»;
- ``company``: the client's accounts and subscribers, its logins and roles, the
  session's account, each account's delivery setting, the rules of dates;
- ``texts``: every word the robot looks for;
- ``finance``: «Счета», «Платежи», «Детализация на Email», «Акт сверки»;
- ``subscribers``: «Абоненты» and «Выгрузка в Excel»;
- ``templates/`` (the accessible markup, ``semantic``) and ``templates/spa/`` (the
  single-page markup served by default: its own layout and screens, ``widgets.html``);
  ``static/``: ``a1.js`` (semantic: the account switch, «Выбрать всех») and
  ``a1-spa.js`` (the single-page app: screens swapped after fetch with pushState, custom
  drop-downs, tabs, ticked rows, 10 rows a page, toasts, files saved from a Blob).
"""

from sandbox.cabinets.a1.cabinet import ADMIN_EMAIL, ADMIN_PHONE, A1Cabinet, A1Settings

__all__ = ["ADMIN_EMAIL", "ADMIN_PHONE", "A1Cabinet", "A1Settings"]
