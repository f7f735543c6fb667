"""Checks of single content objects: schema (with lines and plain messages) and meaning."""
from __future__ import annotations

import math
import re
from collections import Counter

import jsonschema  # the package's __init__ keeps its IRI grammars from loading

from . import i18n, schemas
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


def _list(x) -> list:
    """A list from data that may hold anything (the schema reports the wrong type)."""
    return x if isinstance(x, list) else []


def _ids(entries, path, data, listname, what) -> list[Problem]:
    out = []
    seen = set()
    for i, e in enumerate(_list(entries)):
        if isinstance(e, dict) and isinstance(e.get("id"), str):
            if e["id"] in seen:
                out.append(Problem(path, locate(data, [listname, i]), _("{what} id '{id}' is used twice").format(
                    what=what, id=e['id'])))
            seen.add(e["id"])
    return out


def _leans_on_others(lang: str):
    """The language's pattern of an option that leans on the others ("all of the above"), or None."""
    pattern = (i18n.rules(lang) or {}).get("option_leans_on_others")
    try:
        return re.compile(pattern, re.I) if isinstance(pattern, str) and pattern else None
    except re.error:            # reported at its line by language_rules
        return None


def _language(a) -> str:
    """The language an activity says it is written in (the source language when it says none)."""
    return a.get("language") if isinstance(a.get("language"), str) and a.get("language") else i18n.SOURCE_LANGUAGE


def content_note_problems(a, path) -> list[Problem]:
    """A learner is told what an activity is about before it starts: sextortion and deepfake topics need a note."""
    topics = a.get("topics") if isinstance(a.get("topics"), list) else []
    hit = [t for t in topics if t in schemas.NOTE_TOPICS]
    if hit and not (isinstance(a.get("content_note"), str) and a["content_note"].strip()):
        return [Problem(path, locate(a, ["topics"]),
                        _("topics include {list}: add a 'content_note' that names them, shown before the activity "
                           "starts").format(list=', '.join(hit)))]
    return []


def check_quiz(q, path) -> list[Problem]:
    out = schema_problems(q, schemas.QUIZ, path)
    out += content_note_problems(q, path)
    items = q.get("items") if isinstance(q.get("items"), list) else []
    out += _ids(items, path, q, "items", "item")
    above = _leans_on_others(_language(q))
    positions = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            out.append(Problem(path, locate(q, ["items", i]), _("item {n}: should be a set of fields").format(n=i + 1)))
            continue
        t = item.get("type")
        if not isinstance(t, str) or t not in schemas.ITEM_TYPES:
            lbl = _("item {id}").format(id=item.get("id", i + 1))
            out.append(Problem(path, locate(q, ["items", i, "type"]),
                               _("{lbl}: type '{t}' is not allowed; use one of: {list}").format(
                                   lbl=lbl, t=t, list=', '.join(schemas.ITEM_TYPES))))
            continue
        out += _item_schema(q, i, t, path)
        iid = item.get("id", i + 1)
        opts = item.get("options") if isinstance(item.get("options"), list) else []
        for j, o in enumerate(opts):
            if isinstance(o, dict) and above and above.search(str(o.get("text", ""))):
                out.append(Problem(path, locate(q, ["items", i, "options", j]),
                                   _("item {iid}: options[{n}]: avoid 'all/none of the above'; write each option so it stands "
                                      "alone").format(iid=iid, n=j + 1)))
        ncorrect = sum(1 for o in opts if isinstance(o, dict) and o.get("correct") is True)
        if t == "single" and opts:
            if ncorrect != 1:
                out.append(Problem(path, locate(q, ["items", i, "options"]),
                                   _("item {iid}: a single-choice item needs exactly one option with 'correct: true' (it has "
                                      "{ncorrect})").format(iid=iid, ncorrect=ncorrect)))
            else:
                positions.append((next(j for j, o in enumerate(opts) if isinstance(o, dict) and o.get("correct") is True),
                                  len(opts), i))
        if t == "multiple" and opts:
            if ncorrect == 0:
                out.append(Problem(path, locate(q, ["items", i, "options"]),
                                   _("item {iid}: a multiple-select item needs at least one option with 'correct: true'").format(
                                       iid=iid)))
            if ncorrect == len(opts):
                out.append(Problem(path, locate(q, ["items", i, "options"]),
                                   _("item {iid}: every option is correct; add at least one that is not").format(
                                       iid=iid)))
        if t == "ordering":
            out += ordering_problems(q, i, path)
        if t == "redflags" and isinstance(item.get("chat"), list):
            flags = [c.get("flag") for c in item["chat"] if isinstance(c, dict)]
            if True not in flags or False not in flags:
                out.append(Problem(path, locate(q, ["items", i, "chat"]),
                                   _("item {iid}: a red-flags chat needs at least one line with 'flag: true' and one with "
                                      "'flag: false'").format(iid=iid)))
    out += position_balance(q, positions, path)
    return out


def ordering_problems(q, i, path) -> list[Problem]:
    """Constraints of an ordering item: known ids, no cycle, the written order keeps them, help-seeking
    steps are ``any_time`` and ``any_time`` steps take part in no constraint."""
    from . import ordering
    item = q["items"][i]
    iid = item.get("id", i + 1)
    steps = _list(item.get("steps"))
    out = _ids(steps, path, item, "steps", "step")
    out = [Problem(p.path, p.line, _("item {iid}: {message}").format(iid=iid, message=p.message)) for p in out]
    lang = _language(q)
    index = {s["id"]: j for j, s in enumerate(steps) if isinstance(s, dict) and isinstance(s.get("id"), str)}
    anytime = {j for j, s in enumerate(steps) if isinstance(s, dict) and s.get("any_time") is True}
    edges: dict[int, list[int]] = {j: [] for j in range(len(steps))}
    for j, s in enumerate(steps):
        if not isinstance(s, dict):
            continue
        where = ["items", i, "steps", j]
        sid = s.get("id", j + 1)
        for k, other in enumerate(_list(s.get("before"))):
            if not isinstance(other, str):
                continue
            if other not in index:
                out.append(Problem(path, locate(q, where + ["before", k]),
                                   _("item {iid}: step {sid}: before '{other}' is not a step id of this item (steps: {list})").format(
                                       iid=iid, sid=sid, other=other, list=', '.join(index))))
                continue
            if index[other] == j:
                out.append(Problem(path, locate(q, where + ["before", k]),
                                   _("item {iid}: step {sid}: a step cannot come before itself").format(
                                       iid=iid, sid=sid)))
                continue
            edges[j].append(index[other])
            if j in anytime or index[other] in anytime:
                at = sid if j in anytime else other
                out.append(Problem(path, locate(q, where + ["before", k]),
                                   _("item {iid}: step {sid}: step {at} is 'any_time: true', so it cannot be in a 'before' "
                                      "rule (it is right in any position)").format(iid=iid, sid=sid, at=at)))
            elif index[other] < j:
                out.append(Problem(path, locate(q, where + ["before", k]),
                                   _("item {iid}: step {sid}: must come before '{other}', but the steps are written with "
                                      "'{other}' first; write the steps in one good order").format(
                                          iid=iid, sid=sid, other=other)))
        if "reason" in s and not _list(s.get("before")):
            out.append(Problem(path, locate(q, where + ["reason"]),
                               _("item {iid}: step {sid}: 'reason' explains a 'before' rule, but this step has none").format(
                                   iid=iid, sid=sid)))
        if j not in anytime and isinstance(s.get("text"), str):
            word = ordering.looks_like_help_seeking(s["text"], lang)
            if word:
                out.append(Problem(path, locate(q, where + ["text"]),
                                   _("item {iid}: step {sid}: this step looks like getting help ('{word}'); add 'any_time: "
                                      "true': telling an adult or getting help is right at any point").format(
                                          iid=iid, sid=sid, word=word)))
    cycle = _cycle(edges)
    if cycle:
        names = [str(steps[j].get("id", j + 1)) for j in cycle]
        out.append(Problem(path, locate(q, ["items", i, "steps", cycle[0], "before"]),
                           _("item {iid}: the 'before' rules go round in a circle: {list}").format(
                               iid=iid, list=' -> '.join(names + names[:1]))))
    return out


def _cycle(edges: dict[int, list[int]]) -> list[int]:
    """One cycle of a directed graph as a list of nodes, or [] when there is none."""
    state: dict[int, int] = {}
    stack: list[int] = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in edges.get(n, []):
            if state.get(m) == 1:
                return stack[stack.index(m):]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return []

    for n in edges:
        if n not in state:
            found = visit(n)
            if found:
                return found
    return []


def quiz_warnings(q, path) -> list[Problem]:
    """Things worth a second look that do not stop a build: ordering items with no rule at all, and
    feedback that opens with a verdict word (the quiz shows the verdict as its own label)."""
    from . import ordering
    out: list[Problem] = []
    lang = _language(q)
    for i, item in enumerate(_list(q.get("items"))):
        if not isinstance(item, dict):
            continue
        iid = item.get("id", i + 1)
        if item.get("type") == "ordering":
            steps = [s for s in _list(item.get("steps")) if isinstance(s, dict)]
            if not any(_list(s.get("before")) for s in steps):
                out.append(Problem(path, locate(q, ["items", i]),
                                   _("item {iid}: no 'before' rule, so every order is right; add the rules that are really "
                                      "true, or make it another kind of question").format(iid=iid)))
        texts = []
        for key in ("options", "chat", "steps"):
            for j, o in enumerate(_list(item.get(key))):
                if isinstance(o, dict) and isinstance(o.get("feedback"), str):
                    texts.append(([key, j, "feedback"], o["feedback"]))
        for key in ("feedback_true", "feedback_false"):
            if isinstance(item.get(key), str):
                texts.append(([key], item[key]))
        for where, text in texts:
            word = ordering.starts_with_verdict(text, lang)
            if word:
                out.append(Problem(path, locate(q, ["items", i, *where]),
                                   _("item {iid}: {field}: feedback starts with '{word}'; the quiz already shows the verdict, "
                                      "so start with the reason").format(
                                          iid=iid, field=label(q, ['items', i, *where]).split(': ', 1)[-1], word=word)))
    return out


def _item_schema(q, i, t, path):
    """Schema problems of item ``i`` against the schema of its type, located in the whole quiz."""
    return schema_problems(q["items"][i], schemas.ITEM_TYPES[t], path, base_path=("items", i), root=q)


def position_balance(q, positions, path) -> list[Problem]:
    """Correct answers of single-choice items must not pile up in one position (answer-position bias)."""
    n = len(positions)
    if n < 4:
        return []
    kmin = min(k for _, k, _ in positions)
    counts = Counter(p for p, _, _ in positions)
    limit = math.ceil(n / kmin) + 1
    pos, most = counts.most_common(1)[0]
    if most > limit:
        where = ", ".join(str(q["items"][i].get("id")) for p, _, i in positions if p == pos)
        return [Problem(path, locate(q, ["items"]),
                        _("the right answer is option {position} in {most} of {total} single-choice items (at most {limit}); "
                          "move it elsewhere in some of: {where}").format(
                              position=pos + 1, most=most, total=n, limit=limit,
                                                                          where=where))]
    return []


def check_scenario(s, path) -> list[Problem]:
    out = schema_problems(s, schemas.SCENARIO, path)
    out += content_note_problems(s, path)
    chars = s.get("characters") if isinstance(s.get("characters"), list) else []
    nodes = s.get("nodes") if isinstance(s.get("nodes"), list) else []
    out += _ids(chars, path, s, "characters", "character")
    out += _ids(nodes, path, s, "nodes", "node")
    char_ids = {c.get("id") for c in chars if isinstance(c, dict) and isinstance(c.get("id"), str)}
    if sum(1 for c in chars if isinstance(c, dict) and c.get("role") == "learner") != 1:
        out.append(Problem(path, locate(s, ["characters"]),
                           _("exactly one character needs 'role: learner' (the one whose choices the learner makes)")))
    by_id = {n["id"]: (i, n) for i, n in enumerate(nodes) if isinstance(n, dict) and isinstance(n.get("id"), str)}
    graph: dict[str, list[str]] = {}
    for nid, (i, n) in by_id.items():
        lbl = _("node {id}").format(id=nid)
        for j, m in enumerate(_list(n.get("messages"))):
            if isinstance(m, dict) and (not isinstance(m.get("from"), str) or m["from"] not in char_ids):
                out.append(Problem(path, locate(s, ["nodes", i, "messages", j, "from"]),
                                   _("{lbl}: messages[{n}]: '{sender}' is not a character id (characters: {list})").format(
                                       lbl=lbl, n=j + 1, sender=m.get('from'), list=', '.join(sorted(map(str, char_ids))))))
        choices = _list(n.get("choices"))
        if n.get("ending"):
            # A 'stuck' ending may offer a way back, so the learner can practise the way out.
            if choices and n.get("ending") != "stuck":
                out.append(Problem(path, locate(s, ["nodes", i, "choices"]),
                                   _("{lbl}: only a 'stuck' ending can have choices (a way back); a '{ending}' ending has none").format(
                                       lbl=lbl, ending=n.get('ending'))))
            if choices and n.get("ending") == "stuck" and not n.get("prompt"):
                out.append(Problem(path, locate(s, ["nodes", i]), _("{lbl}: a node with choices needs a 'prompt'").format(
                    lbl=lbl)))
            if not n.get("feedback"):
                out.append(Problem(path, locate(s, ["nodes", i]), _("{lbl}: an ending needs 'feedback'").format(
                    lbl=lbl)))
            if not n.get("title"):
                out.append(Problem(path, locate(s, ["nodes", i]), _("{lbl}: an ending needs a 'title'").format(
                    lbl=lbl)))
        else:
            if not choices:
                out.append(Problem(path, locate(s, ["nodes", i]),
                                   _("{lbl}: dead end: give it 'choices' or make it an ending ('ending: helped', 'safer' or "
                                      "'stuck')").format(lbl=lbl)))
            if choices and not n.get("prompt"):
                out.append(Problem(path, locate(s, ["nodes", i]), _("{lbl}: a node with choices needs a 'prompt'").format(
                    lbl=lbl)))
        graph[nid] = []
        for j, c in enumerate(choices):
            if not isinstance(c, dict):
                continue
            if not isinstance(c.get("next"), str) or c["next"] not in by_id:
                out.append(Problem(path, locate(s, ["nodes", i, "choices", j, "next"]),
                                   _("{lbl}: choices[{n}]: next '{next}' is not a node id").format(
                                       lbl=lbl, n=j + 1, next=c.get('next'))))
            else:
                graph[nid].append(c["next"])
    start = s.get("start")
    start = start if isinstance(start, str) else None
    if isinstance(start, str) and start not in by_id:
        out.append(Problem(path, locate(s, ["start"]), _("start '{start}' is not a node id").format(start=start)))
    if isinstance(start, str) and start in by_id:
        from .model import story_graph   # the story's graph: the one BFS, shared with the model
        g = story_graph(start, [(nid, graph[nid], bool(n.get("ending"))) for nid, (_i, n) in by_id.items()])
        seen, endings = g.reachable, g.endings
        for nid in g.unreachable(list(by_id)):
            out.append(Problem(path, locate(s, ["nodes", by_id[nid][0]]), _("node {nid}: cannot be reached from start '{start}'").format(
                nid=nid, start=start)))
        for nid in g.endless(list(by_id)):
            out.append(Problem(path, locate(s, ["nodes", by_id[nid][0]]),
                               _("node {nid}: no path from here reaches an ending (an endless loop)").format(nid=nid)))
        if not any(by_id[e][1].get("ending") == "helped" for e in endings & seen):
            out.append(Problem(path, locate(s, ["nodes"]),
                               _("no reachable ending shows getting help: add one with 'ending: helped'")))
    return out


def check_roleplay(r, path) -> list[Problem]:
    out = schema_problems(r, schemas.ROLEPLAY, path)
    out += _ids(r.get("roles"), path, r, "roles", "role")
    scenes = r.get("scenes") if isinstance(r.get("scenes"), list) else []
    total = sum(s.get("minutes", 0) for s in scenes if isinstance(s, dict) and isinstance(s.get("minutes"), int))
    if isinstance(r.get("duration"), int) and total > r["duration"]:
        out.append(Problem(path, locate(r, ["scenes"]),
                           _("the scenes take {total} minutes, more than the duration of {duration}").format(
                               total=total, duration=r['duration'])))
    g = r.get("group_size")
    if isinstance(g, dict) and isinstance(g.get("min"), int) and isinstance(g.get("max"), int) and g["min"] > g["max"]:
        out.append(Problem(path, locate(r, ["group_size"]), _("group_size: min is larger than max")))
    return out


def check_questionnaire(qn, path) -> list[Problem]:
    out = schema_problems(qn, schemas.QUESTIONNAIRE, path)
    items = qn.get("items") if isinstance(qn.get("items"), list) else []
    out += _ids(items, path, qn, "items", "item")
    for i, it in enumerate(items):
        if not isinstance(it, dict):
            continue
        lbl = _("item {id}").format(id=it.get("id", i + 1))
        t = it.get("type")
        if t == "single":
            opts = it.get("options")
            if not isinstance(opts, list):
                out.append(Problem(path, locate(qn, ["items", i]), _("{lbl}: a single-choice item needs 'options'").format(
                    lbl=lbl)))
            elif it.get("construct") == "knowledge":
                c = it.get("correct")
                if not isinstance(c, int) or not 0 <= c < len(opts):
                    out.append(Problem(path, locate(qn, ["items", i]),
                                       _("{lbl}: a knowledge item needs 'correct': the number (from 0) of the right option, 0 to "
                                          "{n}").format(lbl=lbl, n=len(opts) - 1)))
        elif "options" in it:
            out.append(Problem(path, locate(qn, ["items", i, "options"]), _("{lbl}: only single-choice items have options").format(
                lbl=lbl)))
        if "reverse" in it and t != "likert":
            out.append(Problem(path, locate(qn, ["items", i, "reverse"]), _("{lbl}: 'reverse' is only for likert items").format(
                lbl=lbl)))
        if "correct" in it and it.get("construct") != "knowledge":
            out.append(Problem(path, locate(qn, ["items", i, "correct"]), _("{lbl}: only knowledge items have a 'correct' answer").format(
                lbl=lbl)))
    return out


def check_handout(h, path) -> list[Problem]:
    """Cards need cards; sheets and slips need sections; slips say how many fit on a page."""
    out = schema_problems(h, schemas.HANDOUT, path)
    layout = h.get("layout")
    need = {"cards": "cards", "sheet": "sections", "slips": "sections"}.get(layout) if isinstance(layout, str) else None
    if need and need not in h:
        out.append(Problem(path, locate(h, ["layout"]), _("a handout with layout '{layout}' needs '{need}'").format(
            layout=layout, need=need)))
    for other in ("cards", "sections"):
        if need and other != need and other in h:
            out.append(Problem(path, locate(h, [other]), _("a handout with layout '{layout}' has no '{other}'; use '{need}'").format(
                layout=layout, other=other, need=need)))
    if "per_page" in h and layout != "slips":
        out.append(Problem(path, locate(h, ["per_page"]), _("'per_page' is only for layout 'slips'")))
    return out


CHECKERS = {"quiz": check_quiz, "scenario": check_scenario, "roleplay": check_roleplay,
            "questionnaire": check_questionnaire, "handout": check_handout}
