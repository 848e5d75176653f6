"""Offices, users, settings and the audit log, for administrators."""
