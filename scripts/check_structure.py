"""Check the shape of the house (see STYLE.md, "The shape of the house").

Run from `make lint` and `make test`:

    .venv/bin/python scripts/check_structure.py [--root PATH]

Checks, for the app packages and foorumix (never tests/, bench/, scripts/ or any
migrations/ directory):

* imports run one way: members -> forums -> sessions_app; foorumix infrastructure
  imports no app; apps may import foorumix infrastructure but not the site shell;
* no import cycle between first-party modules;
* no module over MAX_MODULE_LINES lines;
* no function over MAX_FUNCTION_LINES lines unless the line above it says why.

Prints one `path:line: message` line per problem and a summary; exits 1 on any
problem. Standard library only, and no Django import, so it runs before anything is
installed and cannot be fooled by import-time side effects.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter, deque
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

# The site shell: the only foorumix modules that may import the apps. Everything else
# under foorumix/ is infrastructure and imports no app.
SHELL_MODULES = frozenset(
    {
        "foorumix/urls.py",
        "foorumix/views.py",
        "foorumix/home.py",
        "foorumix/navigation.py",
    }
)

INFRASTRUCTURE = "foorumix"
# Bottom to top: an app may import the apps before it, never those after it.
APP_LAYERS = ("members", "forums", "sessions_app")
FIRST_PARTY = (INFRASTRUCTURE, *APP_LAYERS)

# Not app code: never scanned, at any depth.
SKIPPED_DIRS = frozenset({"migrations", "tests", "bench", "scripts", "__pycache__"})

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
LONG_FUNCTION_REASON = "# structure: long because"


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    kind: str  # "layering", "cycle", "long module", "long function", "syntax"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Import:
    target: str  # absolute dotted name, a submodule when `from pkg import name` names one
    line: int
    runs: bool  # False inside `if TYPE_CHECKING:`


@dataclass
class Module:
    name: str
    path: str  # relative to the project root, with forward slashes
    source: str
    tree: ast.Module | None = None
    imports: list[Import] = field(default_factory=list)

    @cached_property
    def lines(self) -> list[str]:
        return self.source.splitlines()

    @property
    def is_package(self) -> bool:
        return self.path.endswith("/__init__.py")


@dataclass
class Report:
    modules: int
    cycles: int
    problems: list[Problem]


def _module_name(relative: Path) -> str:
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def find_modules(root: Path) -> dict[str, Module]:
    modules = {}
    for package in FIRST_PARTY:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if SKIPPED_DIRS.intersection(relative.parts[:-1]):
                continue
            name = _module_name(relative)
            source = path.read_text(encoding="utf-8")
            modules[name] = Module(name=name, path=relative.as_posix(), source=source)
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _import_base(module: Module, node: ast.ImportFrom) -> str | None:
    """The absolute package a `from ... import` reads from, or None if it leaves the tree."""
    if not node.level:
        return node.module
    package = module.name.split(".")
    if not module.is_package:
        package.pop()
    if node.level > len(package):
        return None
    package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, node.module] if node.module else package)


def collect_imports(module: Module, known: set[str]) -> list[Import]:
    """Every import statement in the module, wherever it sits, with names made absolute."""
    assert module.tree is not None
    found: list[Import] = []

    def visit(node: ast.AST, runs: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, False)
            for child in node.orelse:
                visit(child, runs)
            return
        if isinstance(node, ast.Import):
            found.extend(Import(alias.name, node.lineno, runs) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _import_base(module, node)
            if base is not None:
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    target = submodule if submodule in known else base
                    found.append(Import(target, node.lineno, runs))
        for child in ast.iter_child_nodes(node):
            visit(child, runs)

    visit(module.tree, True)
    return list(dict.fromkeys(found))  # `from pkg import a, b` is one import of pkg


_SHELL_NAMES = frozenset(_module_name(Path(path)) for path in SHELL_MODULES)


def _is_shell(name: str) -> bool:
    """A shell module, or a package grown out of one (foorumix/home/ for foorumix/home.py)."""
    return any(name == shell or name.startswith(shell + ".") for shell in _SHELL_NAMES)


def check_layering(module: Module) -> list[Problem]:
    own = module.name.split(".")[0]
    problems = []
    for imp in module.imports:
        other = imp.target.split(".")[0]
        if other == own or other not in FIRST_PARTY:
            continue
        message = None
        if own == INFRASTRUCTURE:
            if not _is_shell(module.name):
                message = f"infrastructure imports an app: {own} → {other} ({imp.target})"
        elif other == INFRASTRUCTURE:
            if _is_shell(imp.target):
                message = f"app imports the site shell: {own} → {imp.target}"
        elif APP_LAYERS.index(other) > APP_LAYERS.index(own):
            message = f"upward import: {own} → {other} ({imp.target})"
        if message:
            problems.append(Problem(module.path, imp.line, "layering", message))
    return problems


def _resolve(name: str, known: set[str]) -> str | None:
    """The most specific first-party module an import of `name` runs, if any."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def import_graph(modules: dict[str, Module]) -> dict[str, dict[str, int]]:
    """module -> {imported module: first line}, for imports that run."""
    known = set(modules)
    graph: dict[str, dict[str, int]] = {name: {} for name in modules}
    for module in modules.values():
        for imp in module.imports:
            target = _resolve(imp.target, known) if imp.runs else None
            if target and target != module.name:
                edges = graph[module.name]
                edges[target] = min(edges.get(target, imp.line), imp.line)
    return graph


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative so deep import chains cannot hit the recursion limit."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(sorted(graph[start])))]
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def _shortest_cycle(start: str, members: set[str], graph: dict[str, dict[str, int]]) -> list[str]:
    """A shortest path start -> ... -> start inside one strongly connected component."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for successor in sorted(graph[node]):
            if successor not in members:
                continue
            if successor == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if successor not in came_from:
                came_from[successor] = node
                queue.append(successor)
    raise AssertionError(f"{start} is in no cycle")


def check_cycles(modules: dict[str, Module]) -> list[Problem]:
    graph = import_graph(modules)
    problems = []
    for component in strongly_connected(graph):
        if len(component) < 2:
            continue
        cycle = _shortest_cycle(component[0], set(component), graph)
        first = modules[cycle[0]]
        chain = " → ".join(cycle)
        if len(component) == len(cycle) - 1:
            message = f"import cycle: {chain}"
        else:
            message = (
                f"import cycle among {len(component)} modules ({', '.join(component)}),"
                f" e.g. {chain}"
            )
        problems.append(Problem(first.path, graph[cycle[0]][cycle[1]], "cycle", message))
    return problems


def _has_reason(module: Module, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    if first < 2:
        return False
    above = module.lines[first - 2].strip()
    return above.startswith(LONG_FUNCTION_REASON) and bool(
        above[len(LONG_FUNCTION_REASON) :].strip()
    )


def check_lengths(module: Module) -> list[Problem]:
    assert module.tree is not None
    problems = []
    if len(module.lines) > MAX_MODULE_LINES:
        problems.append(
            Problem(
                module.path,
                1,
                "long module",
                f"module has {len(module.lines)} lines (limit {MAX_MODULE_LINES}); "
                "split it by topic",
            )
        )

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = prefix + child.name
                length = child.end_lineno - child.lineno + 1
                if length > MAX_FUNCTION_LINES and not _has_reason(module, child):
                    problems.append(
                        Problem(
                            module.path,
                            child.lineno,
                            "long function",
                            f"function {name} has {length} lines (limit "
                            f"{MAX_FUNCTION_LINES}); split it, or put "
                            f"'{LONG_FUNCTION_REASON} <reason>' on the line above it",
                        )
                    )
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(module.tree, "")
    return problems


def check(root: Path) -> Report:
    modules = find_modules(root)
    known = set(modules)
    problems = []
    for module in modules.values():
        try:
            module.tree = ast.parse(module.source, filename=module.path)
        except SyntaxError as error:
            problems.append(Problem(module.path, error.lineno or 1, "syntax", error.msg))
    parsed = {name: module for name, module in modules.items() if module.tree is not None}
    for module in parsed.values():
        module.imports = collect_imports(module, known)
        problems += check_layering(module)
        problems += check_lengths(module)
    cycles = check_cycles(parsed)
    problems += cycles
    problems.sort(key=lambda p: (p.path, p.line, p.message))
    return Report(modules=len(modules), cycles=len(cycles), problems=problems)


def summary(report: Report) -> str:
    counts = Counter(problem.kind for problem in report.problems)
    details = (
        f"{report.modules} modules, {report.cycles} cycles, "
        f"{counts['layering']} layering violations, {counts['long module']} long modules, "
        f"{counts['long function']} long functions"
    )
    if counts["syntax"]:
        details += f", {counts['syntax']} files that do not parse"
    if report.problems:
        return f"structure FAILED: {len(report.problems)} problems; {details}"
    return f"structure OK: {details}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="project root, the directory holding manage.py (default: this repository)",
    )
    args = parser.parse_args(argv)
    if not (args.root / "manage.py").is_file():
        parser.error(f"{args.root} holds no manage.py; point --root at the project root")
    report = check(args.root)
    for problem in report.problems:
        print(problem)
    print(summary(report))
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
