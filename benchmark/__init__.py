"""The framework-free domain core: the indicator set, rating scales, scoring.

Nothing in this package imports FastAPI, SQLModel or SQLAlchemy: the service in
``app/`` uses it, never the reverse.
"""
