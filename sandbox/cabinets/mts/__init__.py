"""The sandbox's MTS «Виртуальный менеджер» (the corporate cabinet at /selfcare/).

Screens, labels and messages follow the operator's manual
(``specs/mts-virtual-manager.md``) and the screen contract the robot's page objects
are written against. Modules, as in every cabinet package:

- ``cabinet``: the cabinet class, its settings, the login (lockout, optional SMS step);
- ``company``: the billing hierarchy and each session's «Текущая выборка»;
- ``texts``: every word the robot looks for;
- ``manager``: the main screen and the selection's JSON endpoints;
- ``documents``: the «Документ» dialog's orders, e-mails and files served by link;
- ``templates/`` (the accessible markup), ``templates/legacy/`` (the markup of the
  manual's era, served by default: layout tables, no ARIA, the working area in a frame),
  ``static/`` (``vm.js``: drag and drop by HTML5 or by mouse events, the menu, the
  «Документ» window).
"""

from sandbox.cabinets.mts.cabinet import LOGIN_NUMBER, MtsCabinet, MtsSettings

__all__ = ["LOGIN_NUMBER", "MtsCabinet", "MtsSettings"]
