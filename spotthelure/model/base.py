"""Model classes derived from the JSON Schemas in :mod:`spotthelure.schemas`.

The schemas are the contract (``spotthelure schema KIND`` prints them, the validator checks content
against them); the model classes are generated from them, never written a second time by hand:

- each ``properties`` entry of an object schema becomes a field of a frozen dataclass (a property
  named like a Python keyword, ``from`` or ``for``, becomes ``from_`` / ``for_``);
- a required property is a field without default, an optional one defaults to ``None``;
- a nested object schema becomes its own model class, a list becomes a tuple (of model objects
  when its entries are objects), and the rest stays a plain value (text, number, true/false);
- hand-written mixins, the bases given to :func:`model_class`, add behaviour.

Every model object knows where it was written: ``obj.loc`` is a :class:`Loc` with the file, the
line of the object and the line of each of its fields (``obj.line_of("title")``).

Objects are built with ``Class.from_data(data, path)`` from data the validator has accepted; the
loader (:mod:`spotthelure.project`) builds them only for files without problems, so an invalid file
never becomes a model object.
"""
from __future__ import annotations

import dataclasses
import keyword
import types
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class Loc:
    """Where an object was written: its file, its line, and the line of each of its fields."""
    path: str = ""
    line: int = 0
    lines: types.MappingProxyType = dataclasses.field(default_factory=lambda: types.MappingProxyType({}))

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


NOWHERE = Loc()


def py_name(key: str) -> str:
    """The field name of a schema property: ``from`` → ``from_``; hyphens become underscores."""
    name = key.replace("-", "_")
    return name + "_" if keyword.iskeyword(name) else name


def _object_schema(schema) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "object" and "properties" in schema


class Model:
    """Base of every model class: construction from validated data and source locations."""

    SCHEMA: ClassVar[dict] = {}
    # schema property → field name, and the model class of each nested object (or list of objects).
    KEYS: ClassVar[dict[str, str]] = {}
    NESTED: ClassVar[dict[str, type]] = {}

    @classmethod
    def from_data(cls, data, path: str = ""):
        """The model object of ``data``, which the validator has accepted against ``cls.SCHEMA``."""
        kw: dict[str, Any] = {}
        for key, name in cls.KEYS.items():
            if key in data:
                kw[name] = cls._convert(key, data[key], path)
        kw["loc"] = loc_of(data, path)
        return cls(**kw)

    @classmethod
    def _convert(cls, key: str, value, path: str):
        nested = cls.NESTED.get(key)
        if isinstance(value, list):
            if nested is not None:
                return tuple(nested.from_data(v, path) for v in value)
            return tuple(value)
        if nested is not None and isinstance(value, dict):
            return nested.from_data(value, path)
        return value

    def line_of(self, key: str) -> int:
        """The line where field ``key`` (a schema property name) is written."""
        return self.loc.line_of(key)

    @property
    def line(self) -> int:
        return self.loc.line

    @property
    def path(self) -> str:
        return self.loc.path

    def get(self, key: str, default=None):
        """The value of schema property ``key`` (``None``-valued optional fields give ``default``)."""
        name = self.KEYS.get(key)
        value = getattr(self, name) if name else None
        return default if value is None else value


def loc_of(data, path: str) -> Loc:
    lines = getattr(data, "lines", None)
    return Loc(path, getattr(data, "line", 0) or 0,
               types.MappingProxyType(dict(lines) if isinstance(lines, dict) else {}))


def _annotation(schema) -> str:
    if not isinstance(schema, dict):
        return "Any"
    t = schema.get("type")
    if "const" in schema or "enum" in schema:
        return "str"
    return {"string": "str", "integer": "int", "boolean": "bool", "number": "float",
            "array": "tuple", "object": "Model"}.get(t, "Any")


def schema_fields(schemas: list[dict]) -> tuple[dict[str, dict], list[str]]:
    """The properties of one or more object schemas (their union, in order) and the ones every
    schema requires."""
    props: dict[str, dict] = {}
    required: list[str] | None = None
    for s in schemas:
        for k, v in s["properties"].items():
            props.setdefault(k, v)
        req = [k for k in s.get("required", [])]
        required = req if required is None else [k for k in required if k in req]
    return props, required or []


# id(schema) → model class, for nested object schemas that have a named class.
_CLASSES: dict[int, type] = {}


def model_class(name: str, schema: dict | list[dict], bases: tuple = (), nested: dict[str, type] | None = None,
                doc: str | None = None) -> type:
    """A frozen dataclass with one field per property of ``schema`` (or of the union of a list of
    schemas, each field required only when every one of them requires it).

    Nested object schemas get a model class of their own: the one already made for that schema
    (``model_class`` registers each), the one named in ``nested``, or a new one named after the field.
    """
    schema_list = schema if isinstance(schema, list) else [schema]
    props, required = schema_fields(schema_list)
    keys = {k: py_name(k) for k in props}
    nested_classes: dict[str, type] = {}
    for k, sub in props.items():
        inner = sub.get("items") if isinstance(sub, dict) and sub.get("type") == "array" else sub
        if nested and k in nested:
            nested_classes[k] = nested[k]
        elif _object_schema(inner):
            nested_classes[k] = _CLASSES.get(id(inner)) or model_class(name + _camel(k), inner)
    taken = [n for n in keys.values() for b in (*bases, Model) if hasattr(b, n)] + [n for n in keys.values() if n == "loc"]
    if taken:   # a schema property would hide behaviour of the same name
        raise TypeError(f"{name}: schema properties {taken} clash with model attributes; rename one")
    fields = []
    for k, sub in props.items():
        ann = _annotation(sub)
        if k in nested_classes:
            nm = getattr(nested_classes[k], "ANNOTATION", nested_classes[k].__name__)
            ann = f"tuple[{nm}, ...]" if ann == "tuple" else nm
        if k in required:
            fields.append((keys[k], ann, dataclasses.field(metadata={"key": k})))
        else:
            fields.append((keys[k], ann + " | None", dataclasses.field(default=None, metadata={"key": k})))
    fields.append(("loc", "Loc", dataclasses.field(default=NOWHERE, compare=False, repr=False,
                                                   metadata={"key": None})))
    cls = dataclasses.make_dataclass(name, fields, bases=tuple(bases) + (Model,), frozen=True, kw_only=True,
                                     namespace={"SCHEMA": schema, "KEYS": keys, "NESTED": nested_classes,
                                                "__doc__": doc or f"{name}: generated from its JSON Schema."})
    cls.__module__ = "spotthelure.model"
    for s in schema_list:
        _CLASSES.setdefault(id(s), cls)
    return cls


def _camel(key: str) -> str:
    parts = key.replace("-", "_").split("_")
    name = "".join(p[:1].upper() + p[1:] for p in parts)
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


def model_fields(cls) -> dict[str, str]:
    """schema property → field name of a model class (without ``loc``)."""
    return {f.metadata["key"]: f.name for f in dataclasses.fields(cls) if f.metadata.get("key")}
