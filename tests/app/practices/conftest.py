"""The good-practice library's fixtures: the library file loaded as at start-up."""
import pytest

from benchmark.indicators import load_indicator_set
from benchmark.practices import load_practices

from app.practices.service import sync_library
from app.settings import get_settings


@pytest.fixture(scope="session")
def library():
    """The real library file's practices, validated against the real indicator set."""
    settings = get_settings()
    codes = {i.code for i in load_indicator_set(settings.indicators_path).indicators}
    return load_practices(settings.practices_path, codes)


@pytest.fixture
def loaded(session, library):
    """The database holding the library, as the service's start-up leaves it."""
    sync_library(session, library)
    return library
