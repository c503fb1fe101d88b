"""The layers hold: app/law is pure (stdlib + holidays, no clock, no files); only the web
layer imports FastAPI/Starlette."""

import ast
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
LAW = APP / "law"
CLOCK_CALLS = {"today", "now", "utcnow"}
WEB_FRAMEWORKS = {"fastapi", "starlette"}


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def law_files() -> list[Path]:
    files = sorted(LAW.rglob("*.py"))
    assert files, "app/law is empty"
    return files


def test_law_imports_only_the_standard_library_holidays_and_itself():
    for path in law_files():
        for module in imported_modules(path):
            top = module.split(".")[0]
            allowed = top in sys.stdlib_module_names or top == "holidays"
            assert allowed or module.startswith("app.law"), f"{path.name} imports {module}"


def test_only_the_calendar_touches_the_holidays_package():
    users = [
        p.name
        for p in law_files()
        if any(m.split(".")[0] == "holidays" for m in imported_modules(p))
    ]
    assert users == ["calendar.py"]


def test_law_never_reads_the_clock():
    for path in law_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr not in CLOCK_CALLS, (
                    f"{path.name}:{node.lineno} reads the clock"
                )


def test_law_opens_no_file_except_the_packaged_rate_tables():
    for path in law_files():
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "open", f"{path.name}:{node.lineno} opens a file"
        if "read_text" in source:
            assert path.name == "rates.py" and source.count("read_text") == 2


def test_only_the_web_layer_imports_fastapi_or_starlette():
    for path in sorted(APP.rglob("*.py")):
        relative = path.relative_to(APP)
        if relative.parts[0] == "web" or relative == Path("main.py"):
            continue
        for module in imported_modules(path):
            assert module.split(".")[0] not in WEB_FRAMEWORKS, f"app/{relative} imports {module}"
