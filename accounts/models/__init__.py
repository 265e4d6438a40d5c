"""Accounts: role assignments (assignment.py); login security records (security.py)."""

from accounts.models.assignment import Assignment
from accounts.models.security import PasswordHistory, SecurityPolicy

__all__ = ["Assignment", "PasswordHistory", "SecurityPolicy"]
