"""The sandbox's Kcell «Кабинет» (Kcell Business ID), the corporate cabinet of one
administrator of several companies.

Screens, labels and messages follow the operator's manual (``specs/kcell-cabinet.md``)
and the screen contract the robot's page objects are written against. Modules, as in
every cabinet package:

- ``cabinet``: the cabinet class, its settings, the login (first login, expired
  password), the company switch, the profile;
- ``recovery``: «Забыли пароль?» (number, SMS code with a resend delay, new password);
- ``company``: the companies, their accounts and numbers, the session's company, the
  rules of dates;
- ``texts``: every word the robot looks for;
- ``numbers``: «Управление номерами», a number's profile, «Детализация» (PDF/XLS files);
- ``documents``: «Документы и отчеты» (acts and registers downloaded, reports e-mailed);
- ``templates/``, ``static/`` (``kcell.js``: the company switch, the resend countdown).
"""

from sandbox.cabinets.kcell.cabinet import ADMIN_PHONE, KcellCabinet, KcellSettings, new_password

__all__ = ["ADMIN_PHONE", "KcellCabinet", "KcellSettings", "new_password"]
