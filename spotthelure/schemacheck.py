"""A content object against its JSON Schema: problems at the line of the value, in plain words,
and ``typed()``, the well-typed part of the data that the pages may read."""
from __future__ import annotations

import re

import jsonschema  # the package's __init__ keeps its IRI grammars from loading

from . import schemas
from .i18n import N_, _, ngettext
from .problems import Problem
from .yamlload import LDict, LList

_VALIDATORS: dict[int, jsonschema.Draft202012Validator] = {}
# How a problem names an entry of a list by its id ("item trust-1", "node start").
_LABEL_LISTS = {"items": N_("item"), "nodes": N_("node"), "roles": N_("role"), "characters": N_("character"),
                "sessions": N_("session"), "objectives": N_("objective"), "steps": N_("step")}


def _validator(schema: dict) -> jsonschema.Draft202012Validator:
    key = id(schema)
    if key not in _VALIDATORS:
        _VALIDATORS[key] = jsonschema.Draft202012Validator(schema)
    return _VALIDATORS[key]


def locate(data, path) -> int:
    """The line of the deepest part of ``path`` that exists in ``data``."""
    line = getattr(data, "line", 1) or 1
    cur = data
    for key in path:
        if isinstance(cur, LDict) and key in cur:
            line = cur.line_of(key)
            cur = cur[key]
        elif isinstance(cur, LList) and isinstance(key, int) and key < len(cur):
            line = cur.line_of(key)
            cur = cur[key]
        else:
            break
    return line


def label(data, path) -> str:
    """``item trust-1: options[2].feedback``: the nearest entries with ids, then the field path."""
    prefix, parts, cur = "", [], data
    for i, key in enumerate(path):
        nxt = cur[key] if _has(cur, key) else None
        if isinstance(key, int):
            kind = _LABEL_LISTS.get(path[i - 1] if i else "")
            if kind and isinstance(nxt, dict) and isinstance(nxt.get("id"), str):
                if parts and parts[-1] == path[i - 1]:
                    parts.pop()
                prefix += ".".join(parts) + (" " if parts else "") + _("{kind} {id}").format(
                    kind=_(kind), id=nxt["id"]) + ": "
                parts = []
            elif parts:
                parts[-1] += f"[{key + 1}]"
            else:
                parts.append(f"[{key + 1}]")
        else:
            parts.append(str(key))
        cur = nxt
    return (prefix + ".".join(parts)).rstrip(": ")


def _has(c, k):
    return (isinstance(c, dict) and k in c) or (isinstance(c, list) and isinstance(k, int) and k < len(c))


def _describe(v) -> str:
    """What a value is, in the author's words (never a Python type name such as LList)."""
    for t, words in ((bool, N_("true/false")), (int, N_("a number")), (float, N_("a number")), (str, N_("text")),
                     (dict, N_("a set of fields")), (list, N_("a list")), (type(None), N_("empty"))):
        if isinstance(v, t):
            return _(words)
    return _("a value of another kind")


# --------------------------------------------------------------------------- typed views
#
# Cross-file checks, text walkers and the renderers look only at values whose type the schema
# accepted: ``typed`` returns a copy that leaves out every value of the wrong type (a string where
# a list belongs, a list where an id belongs, a number, a mapping, null). The schema check reports
# those; what follows never meets them, so it never crashes on them.

_MISSING = object()
_TYPES = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
          "array": (list,), "object": (dict,), "null": (type(None),)}


def _type_ok(value, want) -> bool:
    wants = [want] if isinstance(want, str) else list(want)
    for w in wants:
        if w in ("integer", "number") and isinstance(value, bool):
            continue
        if isinstance(value, _TYPES.get(w, ())):
            return True
    return False


def _typed(value, schema):
    if not isinstance(schema, dict):
        return value
    if "const" in schema:
        return value if type(value) is type(schema["const"]) and value == schema["const"] else _MISSING
    if "enum" in schema:
        ok = isinstance(value, (str, int, float, bool)) and any(
            type(value) is type(e) and value == e for e in schema["enum"])
        return value if ok else _MISSING
    if "oneOf" in schema:
        for sub in schema["oneOf"]:
            if not _validator(sub).is_valid(value):
                continue
            return _typed(value, sub)
        return _MISSING
    if "type" in schema and not _type_ok(value, schema["type"]):
        return _MISSING
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        return _MISSING
    if isinstance(value, dict) and "properties" in schema:
        props = schema["properties"]
        out = LDict()
        out.line = getattr(value, "line", 0)
        lines = getattr(value, "lines", {})
        for k, v in value.items():
            if k in props:
                tv = _typed(v, props[k])
            elif schema.get("additionalProperties", True) is False:
                continue
            else:
                tv = v
            if tv is not _MISSING:
                out[k] = tv
                if k in lines:
                    out.lines[k] = lines[k]
        # A required field of the wrong type stays, empty: what reads it (a page listing titles,
        # a count of items) finds nothing to show rather than no field at all.
        for k in schema.get("required", []):
            empty = {"string": str, "array": LList, "object": LDict}.get(props.get(k, {}).get("type"))
            if k in value and k not in out and empty is not None:
                out[k] = empty()
                if k in lines:
                    out.lines[k] = lines[k]
        return out
    if isinstance(value, list) and "items" in schema:
        out = LList()
        out.line = getattr(value, "line", 0)
        lines = getattr(value, "lines", [])
        for i, v in enumerate(value):
            tv = _typed(v, schema["items"])
            if tv is not _MISSING:
                out.append(tv)
                out.lines.append(lines[i] if i < len(lines) else out.line)
        return out
    return value


def typed(value, schema):
    """``value`` with only the parts whose type ``schema`` accepts (None when the value itself is
    of the wrong type); a required text, list or set of fields of the wrong type is kept empty.
    Lines are kept, so problems found in the copy still name the right line."""
    tv = _typed(value, schema)
    return None if tv is _MISSING else tv


def typed_activity(kind: str, data):
    """The typed view of an activity: its header by its kind's schema, each quiz item by its type's."""
    schema = schemas.ACTIVITY_SCHEMAS.get(kind) if isinstance(kind, str) else None
    if schema is None or not isinstance(data, dict):
        return LDict()
    out = typed(data, schema) or LDict()
    if kind == "quiz" and isinstance(out.get("items"), list):
        items = LList()
        items.line = out["items"].line
        for i, it in enumerate(out["items"]):
            t = it.get("type")
            tv = typed(it, schemas.ITEM_TYPES[t]) if isinstance(t, str) and t in schemas.ITEM_TYPES else None
            if tv is not None:
                items.append(tv)
                items.lines.append(out["items"].line_of(i))
        out["items"] = items
    return out


def schema_problems(data, schema: dict, path: str, base_path=(), root=None) -> list[Problem]:
    """Problems of ``data`` against ``schema``; ``data`` sits at ``base_path`` inside ``root``
    (the whole file), where lines and labels are looked up."""
    instance, data = data, (data if root is None else root)
    out: list[Problem] = []
    for err in sorted(_validator(schema).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        where = list(base_path) + list(err.absolute_path)
        inst = err.instance
        v = err.validator
        props = err.schema.get("properties", {}) if isinstance(err.schema, dict) else {}
        if v == "additionalProperties" and isinstance(inst, dict):
            for k in inst:
                if k not in props:
                    lbl = label(data, where + [k])
                    out.append(Problem(path, locate(data, where + [k]),
                                       _("{lbl}: unknown field; allowed here: {list}").format(
                                           lbl=lbl, list=', '.join(props))))
            continue
        if v == "required":
            m = re.match(r"'(.+)' is a required property", err.message)
            name = m.group(1) if m else err.message
            lbl = label(data, where)
            out.append(Problem(path, locate(data, where), (_("{lbl}: missing field '{name}'") if lbl else _("missing field '{name}'")).format(lbl=lbl, name=name)))
            continue
        lbl = label(data, where) or _("(top level)")
        if v == "enum":
            msg = _("'{value}' is not allowed; use one of: {allowed}").format(
                value=inst, allowed=", ".join(map(str, err.validator_value)))
        elif v == "const":
            msg = _("should be '{want}', not '{value}'").format(want=err.validator_value, value=inst)
        elif v == "type":
            want = {"string": _("text"), "integer": _("a whole number"), "boolean": _("true or false"),
                    "array": _("a list"), "object": _("a set of fields"), "number": _("a number")}
            wv = err.validator_value
            wv = wv if isinstance(wv, str) else wv[0]
            msg = _("should be {want}, not {value}").format(want=want.get(wv, wv), value=_describe(inst))
        elif v == "pattern":
            if err.validator_value == schemas.DATE["pattern"]:
                msg = _("'{value}' is not a date; write it as YYYY-MM-DD").format(value=inst)
            elif err.validator_value == schemas.ID["pattern"]:
                msg = _("'{value}' is not a valid id; use lower-case letters, digits and single hyphens").format(
                    value=inst)
            else:
                msg = _("'{value}' is not in the expected form").format(value=inst)
        elif v == "minItems":
            msg = ngettext("needs at least {n} entry", "needs at least {n} entries", err.validator_value).format(
                n=err.validator_value)
        elif v == "maxItems":
            msg = ngettext("has {count} entries; at most {n} is allowed", "has {count} entries; at most {n} are allowed",
                           err.validator_value).format(count=len(inst), n=err.validator_value)
        elif v == "minLength":
            msg = _("must not be empty")
        elif v == "minimum":
            msg = _("is {value}; it must be at least {min}").format(value=inst, min=err.validator_value)
        elif v == "maximum":
            msg = _("is {value}; it must be at most {max}").format(value=inst, max=err.validator_value)
        else:
            msg = err.message
        out.append(Problem(path, locate(data, where), _("{lbl}: {msg}").format(lbl=lbl, msg=msg)))
    return out
