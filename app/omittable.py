"""Fields of an update that may be left out but not sent as ``null``.

``Omittable[X]`` is ``X | None`` to the code (``None``: left out, keep the value) but
validates as ``X`` alone, so that an explicit ``null`` is refused with ``X``'s own error
and the JSON schema says ``X`` (with the default ``null``, which is never validated).
"""
from typing import Annotated, Any, TypeVar, get_args

from pydantic import GetCoreSchemaHandler, GetPydanticSchema
from pydantic_core import CoreSchema

T = TypeVar("T")


def _without_none(source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
    inner, _none = get_args(source)
    return handler(inner)


Omittable = Annotated[T | None, GetPydanticSchema(_without_none)]
