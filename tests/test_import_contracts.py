"""The layers between apps are checked, not hoped for (pyproject.toml [tool.importlinter])."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["config", "core", "accounts", "moderation", "messaging", "search", "notifications", "marketplace", "contests", "insights", "api", "cms", "frontend"]  # fmt: skip
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_the_code(tmp_path) -> Path:
    """The project's Python files and contracts, in a scratch tree we may break."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("*.html", "*.css", "*.js", "*.txt", "__pycache__"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # core at the bottom must not know about a domain app
        ("core/_probe.py", "from marketplace.models import Task\n", "Layers"),
        # messaging knows subjects only through its registry
        (
            "messaging/_probe.py",
            "import marketplace.services\n",
            "Messaging, search and notifications",
        ),
        # the notification centre knows topics only through its registry
        (
            "notifications/_probe.py",
            "from contests.models import ContestPage\n",
            "Messaging, search and notifications",
        ),
        # the board does not know the dashboard that counts it
        ("marketplace/_probe.py", "import insights.figures\n", "Layers"),
        # moderation sits below the apps it moderates
        ("moderation/_probe.py", "from messaging.models import Message\n", "Layers"),
        # the two domain apps are independent of each other
        ("marketplace/_probe.py", "from contests.models import Dataset\n", "Layers"),
    ],
)
def test_a_reverse_import_breaks_a_contract(copy_of_the_code, module, line, contract):
    # given the project with one import going the wrong way
    (copy_of_the_code / module).write_text(line)

    # when the contracts are checked
    result = lint_imports(copy_of_the_code)

    # then the check fails and names the contract and the import
    assert result.returncode == 1, result.stdout
    broken = result.stdout[result.stdout.index("Broken contracts") :]
    assert contract in broken
    assert module.replace("/", ".").removesuffix(".py") in broken


def test_services_speak_the_domain_not_http():
    """Services raise core.errors; a webhook or a Celery task calling one gets no HTTP
    exception (DomainErrorMiddleware turns them into 404/403/409/429 for views)."""
    offenders = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "services" not in relative.parts and relative.stem != "services":
                continue
            text = path.read_text()
            if "django.http" in text or "django.shortcuts" in text:
                offenders.append(str(relative))
    assert offenders == []
