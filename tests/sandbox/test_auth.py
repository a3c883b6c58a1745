"""The shared login pieces of ``sandbox.cabinets.auth`` that «Забыли пароль?» uses: the
code sent again after a delay, the recovery's steps, the rules of a new password."""

from __future__ import annotations

from sandbox.cabinets.auth import (
    PasswordProblem,
    PasswordRecovery,
    SmsChallenge,
    SmsVerdict,
    new_password_problem,
)
from sandbox.cabinets.orders import SmsGateway
from sandbox.cabinets.sessions import SessionStore


def test_a_code_is_sent_again_only_after_the_delay() -> None:
    session, gateway = SessionStore().create(), SmsGateway()
    assert SmsChallenge.resend_in(session, after_s=60) is None
    assert not SmsChallenge.resend(session, gateway, after_s=0)  # nothing pending
    first = SmsChallenge.issue(session, gateway, phone="77012223344", login="77012223344")
    assert 59 < (SmsChallenge.resend_in(session, after_s=60) or 0) <= 60
    assert not SmsChallenge.resend(session, gateway, after_s=60)
    assert gateway.last("77012223344") == first
    wrong = "000000" if first != "000000" else "111111"
    assert SmsChallenge.check(session, wrong, ttl_s=60, max_attempts=2) is SmsVerdict.WRONG
    assert SmsChallenge.resend_in(session, after_s=0) == 0
    assert SmsChallenge.resend(session, gateway, after_s=0)
    second = gateway.last("77012223344")
    assert second is not None and SmsChallenge.pending(session) == ("77012223344", "77012223344")
    # the count of wrong codes starts again with the new code
    assert SmsChallenge.check(session, wrong if second != wrong else "222222", ttl_s=60,
                              max_attempts=2) is SmsVerdict.WRONG  # fmt: skip
    assert SmsChallenge.check(session, second, ttl_s=60, max_attempts=2) is SmsVerdict.RIGHT


def test_password_recovery_steps() -> None:
    session, gateway = SessionStore().create(), SmsGateway()
    code = PasswordRecovery.start(session, gateway, phone="77012223344", login="admin")
    assert PasswordRecovery.pending(session) == ("admin", "77012223344")
    assert PasswordRecovery.verified(session) is None
    assert PasswordRecovery.verify(session, code, ttl_s=60, max_attempts=3) is SmsVerdict.RIGHT
    assert PasswordRecovery.verified(session) == "admin"
    assert PasswordRecovery.pending(session) is None
    PasswordRecovery.start(session, gateway, phone="77012223344", login="admin")
    assert PasswordRecovery.verified(session) is None  # a new recovery starts from scratch
    PasswordRecovery.finish(session)
    assert PasswordRecovery.pending(session) is None and PasswordRecovery.verified(session) is None


def test_new_password_rules() -> None:
    assert new_password_problem("Secret123", "Secret123") is None
    assert new_password_problem("Пароль2026", "Пароль2026") is None  # Cyrillic letters count
    assert new_password_problem("Secret123", "Secret124") is PasswordProblem.MISMATCH
    for weak in ("Abc1234", "abcdefgh", "12345678", ""):
        assert new_password_problem(weak, weak) is PasswordProblem.WEAK, weak
    assert new_password_problem("Abc12", "Abc12", min_length=5) is None


def test_the_store_tells_when_each_session_of_a_login_was_in_use() -> None:
    store = SessionStore()
    anonymous = store.create()
    first = store.create("admin")
    store.create("admin")
    store.create("someone-else")
    assert store.get(first.id) is first and store.get(anonymous.id) is anonymous

    spans = store.spans("admin")
    assert len(spans) == 2, "an anonymous session or another login is not counted"
    (opened_1, last_1), (opened_2, last_2) = spans
    assert opened_1 <= opened_2 < last_1, "the first was used again after the second opened"
    assert last_2 == opened_2
