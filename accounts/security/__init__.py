"""Login security: lockout, password rules, session timeouts and the second factor.

Per-request checks read only the session (written at login by `receivers`), so they add no
query to a page; the security policy is read at login and when a password is set.
"""
