"""Simulated operator cabinets (web apps) and what they share.

- ``base``: ``Cabinet`` (state, templates, the FastAPI app, JSON endpoints for scripts),
  ``CabinetSettings``, ``Timings``, ``ErrorTexts``.
- ``auth``: the login lockout, the SMS code step (resent after a delay) and the
  «forgot password» flow (``PasswordRecovery``, ``new_password_problem``).
- ``calendar``: the sandbox's date, fixed or real.
- ``faults``: the fault spec and injector (500s, latency, session TTL, maintenance).
- ``files``: files served by an expiring link (documents too large for e-mail); direct
  downloads are ``Cabinet.download`` / ``Cabinet.document_download``.
- ``markup``: the markup spec (``restyle`` ids/classes/nesting, ``rename`` visible texts)
  and the rewriting of pages, stylesheets and JSON it asks for.
- ``sessions``: server-side sessions with CSRF tokens.
- ``orders``: the orders book and the SMS gateway behind ``/_sandbox/*``.
- ``web``: form reading, redirects, the fault and markup middlewares, the ``/_sandbox``
  router.
- ``server``: uvicorn in a background thread on a pre-bound loopback port.
- ``sip``: the SIP operator's cabinet.
- ``mts``: the MTS «Виртуальный менеджер».
- ``kcell``: the Kcell «Кабинет» (Kcell Business ID).
"""
