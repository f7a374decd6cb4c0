"""The Japanese catalogue is complete: every string the site shows has a translation."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def _untranslated(po: polib.POFile) -> list[str]:
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]


def test_every_japanese_entry_is_translated():
    assert _untranslated(polib.pofile(str(CATALOGUE))) == []


SOURCES = [
    "accounts",
    "cms",
    "config",
    "contests",
    "core",
    "frontend",
    "marketplace",
    "messaging",
    "moderation",
    "notifications",
    "insights",
    "api",
    "search",
]


def test_catalogue_covers_every_string_in_the_code(tmp_path):
    # Extract the strings again, from a tree that links to the sources but has no
    # locale/ of its own, into a scratch copy of the catalogue; the real one is untouched.
    tree, scratch = tmp_path / "tree", tmp_path / "locale" / "ja" / "LC_MESSAGES"
    tree.mkdir()
    scratch.mkdir(parents=True)
    for name in SOURCES:
        (tree / name).symlink_to(ROOT / name)
    shutil.copy(CATALOGUE, scratch / "django.po")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import django; from django.conf import settings;"
        "settings.LOCALE_PATHS = [sys.argv[2]]; django.setup();"
        "from django.core.management import call_command;"
        "call_command('makemessages', locale=['ja'], verbosity=0, no_obsolete=True, symlinks=True)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), str(tmp_path / "locale")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    missing = _untranslated(polib.pofile(str(scratch / "django.po")))
    assert missing == [], "run manage.py makemessages -l ja and translate: " + repr(missing)
