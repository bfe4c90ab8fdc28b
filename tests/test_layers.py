"""The intended directions between the apps, held against the code's own imports.

Every first-party module (migrations and tests left out) is read, every import statement followed
(function-level ones too), and the rules checked through every chain of imports:

- `koss/core/` is below every app: it reaches no app and nothing else of `koss/`;
- `partners/` reaches neither `news/` nor `advisory_board/`;
- `advisory_board/` does not reach `news/`;
- no module reaches itself through a circle;
- `partners/` and `advisory_board/` do not read articles through the reverse relation.
"""

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("koss", "partners", "news", "advisory_board")
FORBIDDEN = {
    "koss.core": ("partners", "news", "advisory_board", "koss"),
    "partners": ("news", "advisory_board"),
    "advisory_board": ("news",),
}


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules():
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path)] = path
    return found


def resolve(name):
    while name:
        if name in modules():
            return name
        name = name.rpartition(".")[0]
    return None


@cache
def imports():
    edges = {}
    for module, path in modules().items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                names = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            targets.update(t for t in map(resolve, names) if t and t != module)
        edges[module] = targets
    return edges


def reach(module):
    seen, todo = set(), [module]
    while todo:
        for target in imports()[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def layer_of(module):
    return "koss.core" if module.startswith("koss.core") else module.split(".")[0]


def breaks_of(module):
    forbidden = FORBIDDEN.get(layer_of(module), ())
    return sorted(
        target
        for target in reach(module)
        if layer_of(target) != layer_of(module)
        and (target.split(".")[0] in forbidden or layer_of(target) in forbidden)
    )


def test_the_rules_read_every_app():
    assert {module.split(".")[0] for module in modules()} == set(APPS)
    assert "koss.core.search" in modules() and "advisory_board.models" in imports()


@pytest.mark.parametrize("module", sorted(modules()))
def test_each_module_keeps_to_its_layer(module):
    assert breaks_of(module) == []
    assert module not in reach(module), f"{module} imports itself through a circle"


def test_the_rule_sees_a_break_through_a_chain(monkeypatch):
    # koss.core.search → partners.models → news.models: both a shared-core and a partners break.
    edges = {module: set(targets) for module, targets in imports().items()}
    edges["koss.core.search"].add("partners.models")
    edges["partners.models"].add("news.models")
    monkeypatch.setattr("tests.test_layers.imports", lambda: edges)
    assert "news.models" in breaks_of("koss.core.search")
    assert breaks_of("partners.views") == ["news.models"]


@pytest.mark.parametrize("app", ["partners", "advisory_board"])
def test_no_app_below_news_reads_articles_backwards(app):
    readers = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.articles\b", line)
    ]
    assert readers == []
