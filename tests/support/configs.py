"""Configuration text the unit and integration tests start from."""

# The two sections every configuration needs: a mailbox (its password from the
# environment variable TEST_MAIL_PW) and Tarifer's inbox, both relative to the file.
MAIL_AND_INBOX = """
[mail]
host = "127.0.0.1"
security = "plain"
username = "robot"
password_env = "TEST_MAIL_PW"

[tarifer]
inbox = "inbox"
"""
