"""Persistence: SQLAlchemy 2 Core tables, Alembic migrations, one repository per aggregate.

Every row belongs to a tenant. Every write method emits a typed audit event in the same
transaction as its change. SQLite (WAL, one writer) is the default; PostgreSQL works by URL.
"""
