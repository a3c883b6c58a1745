"""The import contracts `make lint` checks (pyproject.toml, [tool.importlinter]) break on
each import DESIGN.md forbids: run on a small tree of the project's packages."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# The imports the project is allowed to make across layers, as the real tree makes them.
ALLOWED = {
    "page_objects/base.py": "import robots.domain\nimport robots.errors\n",
    "sandbox/world.py": "import robots.domain\n",
    "cli/sandbox.py": "import sandbox.world\n",
    "robots/cycle.py": "import page_objects.base\n",
    "flows/cycle.py": "import robots.cycle\n",
}


def tree(root: Path, extra: dict[str, str]) -> Path:
    for package in ("cli", "flows", "robots", "page_objects", "config", "sandbox"):
        (root / package).mkdir()
        (root / package / "__init__.py").touch()
    for module in ("robots/domain.py", "robots/errors.py", "flows/canary.py"):
        (root / module).touch()
    for module, source in (ALLOWED | extra).items():
        (root / module).write_text(source)
    shutil.copy(PROJECT / "pyproject.toml", root / "pyproject.toml")
    return root


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120
    )


def test_the_allowed_imports_keep_every_contract(tmp_path: Path) -> None:
    checked = lint_imports(tree(tmp_path, {}))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "4 kept, 0 broken" in checked.stdout


@pytest.mark.parametrize(
    ("module", "source", "broken"),
    [
        ("page_objects/screen.py", "import robots.cycle\n", "page_objects.screen -> robots.cycle"),
        ("robots/cycle.py", "import flows.canary\n", "robots.cycle -> flows.canary"),
        ("robots/cycle.py", "import sandbox.world\n", "robots.cycle -> sandbox.world"),
        ("config/models.py", "import sandbox.world\n", "config.models -> sandbox.world"),
        (
            "sandbox/world.py",
            "import robots.domain, robots.cycle\n",
            "sandbox.world -> robots.cycle",
        ),
    ],
)
def test_a_forbidden_import_fails_the_lint(
    tmp_path: Path, module: str, source: str, broken: str
) -> None:
    checked = lint_imports(tree(tmp_path, {module: source}))
    assert checked.returncode == 1, checked.stdout
    assert broken in checked.stdout
