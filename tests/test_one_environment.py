"""One escaping renderer serves every output: no module but spotthelure/templating.py makes a
Jinja2 environment, loader or template of its own."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "spotthelure"
MAKERS = {"Environment", "SandboxedEnvironment", "Template", "FileSystemLoader", "PackageLoader", "DictLoader"}


def _made_here(path: Path, base: Path = PACKAGE.parent) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
            if name in MAKERS:
                out.append(f"{path.relative_to(base).as_posix()}:{node.lineno}: {name}(...)")
    return out


def test_only_templating_makes_a_jinja_environment():
    found = [hit for p in sorted(PACKAGE.rglob("*.py")) if p.name != "templating.py" for hit in _made_here(p)]
    assert found == []


def test_the_scan_finds_an_environment(tmp_path):
    p = tmp_path / "renderer.py"
    p.write_text("import jinja2\nfrom jinja2 import Template\nENV = jinja2.Environment(autoescape=False)\n"
                 "T = Template('{{ x }}')\n", encoding="utf-8")
    assert _made_here(p, tmp_path) == ["renderer.py:3: Environment(...)", "renderer.py:4: Template(...)"]
