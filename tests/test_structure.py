"""scripts/check_structure.py, run on small made-up trees (never on this repository's)."""

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_structure.py"
_spec = importlib.util.spec_from_file_location("check_structure", SCRIPT)
check_structure = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = check_structure  # dataclasses look their module up there
_spec.loader.exec_module(check_structure)

PACKAGES = ("foorumix", "members", "forums", "sessions_app")


@pytest.fixture
def tree(tmp_path):
    """A clean project: manage.py and the four packages, each with an empty __init__.py."""
    (tmp_path / "manage.py").write_text("")
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    return tmp_path


def write(root, path, source=""):
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(textwrap.dedent(source))


def run(root, capsys):
    """The script's exit code and its output lines."""
    code = check_structure.main(["--root", str(root)])
    return code, capsys.readouterr().out.splitlines()


def function_source(name, lines, comment=None):
    """A function of exactly `lines` lines, optionally with a comment above it."""
    body = [f"def {name}():"] + ["    x = 1"] * (lines - 2) + ["    return x"]
    return "\n".join(([comment] if comment else []) + body) + "\n"


def test_clean_tree_passes(tree, capsys):
    write(tree, "members/models.py", "from foorumix import crypto\n")
    write(tree, "foorumix/crypto.py", "import hashlib\n")
    write(tree, "forums/services.py", "from members.models import x\nfrom . import models\n")
    write(tree, "forums/models.py", "from members import models\n")
    write(
        tree,
        "sessions_app/notes/services.py",
        """\
        from forums import services
        from members.models import x

        def later():
            from forums.models import y
        """,
    )
    write(tree, "sessions_app/notes/__init__.py", "from . import services\n")
    write(tree, "foorumix/urls.py", "import members.models\nimport sessions_app.notes\n")
    write(tree, "foorumix/navigation.py", "from forums import services\n")
    # Migrations and tests are not app code: nothing in them counts.
    write(tree, "members/migrations/0001_initial.py", "import sessions_app\n" * 500)
    write(tree, "forums/tests/test_x.py", "import sessions_app\n")

    code, out = run(tree, capsys)

    assert out == [
        "structure OK: 12 modules, 0 cycles, 0 layering violations, 0 long modules, "
        "0 long functions"
    ]
    assert code == 0


def test_cycle_between_two_modules_fails(tree, capsys):
    write(tree, "forums/a.py", "import os\nfrom forums import b\n")
    write(tree, "forums/b.py", "from forums.a import thing\n")

    code, out = run(tree, capsys)

    assert out[0] == "forums/a.py:2: import cycle: forums.a → forums.b → forums.a"
    assert out[-1].startswith("structure FAILED: 1 problems; 6 modules, 1 cycles,")
    assert code == 1


def test_cycle_through_an_import_inside_a_function_fails(tree, capsys):
    write(tree, "members/models.py", "from .roles import is_admin\n")
    write(
        tree,
        "members/roles.py",
        """\
        def is_admin(user):
            from members.models import User
            return isinstance(user, User)
        """,
    )

    code, out = run(tree, capsys)

    assert out[:-1] == [
        "members/models.py:1: import cycle: members.models → members.roles → members.models"
    ]
    assert code == 1


def test_type_checking_import_makes_no_cycle(tree, capsys):
    write(tree, "members/models.py", "from members.roles import is_admin\n")
    write(
        tree,
        "members/roles.py",
        """\
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from members.models import User
        """,
    )

    code, out = run(tree, capsys)

    assert out[-1].startswith("structure OK: 6 modules, 0 cycles")
    assert code == 0


def test_package_importing_its_submodule_that_imports_a_sibling_is_one_cycle(tree, capsys):
    write(tree, "sessions_app/notes/__init__.py", "from . import editor\n")
    write(tree, "sessions_app/notes/editor.py", "from .review import check\n")
    write(tree, "sessions_app/notes/review.py", "from . import editor\n")

    code, out = run(tree, capsys)

    assert out[:-1] == [
        "sessions_app/notes/editor.py:1: import cycle: sessions_app.notes.editor"
        " → sessions_app.notes.review → sessions_app.notes.editor"
    ]
    assert code == 1


def test_upward_import_inside_a_function_fails(tree, capsys):
    write(tree, "sessions_app/notes/services.py", "")
    write(
        tree,
        "forums/services.py",
        """\
        from members import models


        def forum_close(*, forum):
            from sessions_app.notes import services
            services.notes_archive(forum=forum)
        """,
    )

    code, out = run(tree, capsys)

    assert out[:-1] == [
        "forums/services.py:5: upward import: forums → sessions_app (sessions_app.notes.services)"
    ]
    assert "1 layering violations" in out[-1]
    assert code == 1


def test_members_importing_forums_fails(tree, capsys):
    write(tree, "members/forms.py", "from forums.invitations import a, b\n")

    code, out = run(tree, capsys)

    assert out[:-1] == ["members/forms.py:1: upward import: members → forums (forums.invitations)"]
    assert code == 1


def test_foorumix_infrastructure_importing_an_app_fails(tree, capsys):
    write(tree, "members/models.py", "")
    write(
        tree,
        "foorumix/mail.py",
        """\
        def send(user_id):
            from members.models import User
        """,
    )

    code, out = run(tree, capsys)

    assert out[:-1] == [
        "foorumix/mail.py:2: infrastructure imports an app: foorumix → members (members.models)"
    ]
    assert code == 1


def test_app_importing_a_foorumix_shell_module_fails(tree, capsys):
    write(tree, "foorumix/navigation.py", "")
    write(tree, "foorumix/tokens.py", "")
    write(tree, "forums/views.py", "from foorumix import navigation, tokens\n")

    code, out = run(tree, capsys)

    assert out[:-1] == [
        "forums/views.py:1: app imports the site shell: forums → foorumix.navigation"
    ]
    assert code == 1


def test_module_of_401_lines_fails_and_400_passes(tree, capsys):
    write(tree, "forums/views.py", "x = 1\n" * 401)
    write(tree, "forums/selectors.py", "x = 1\n" * 400)

    code, out = run(tree, capsys)

    assert out[:-1] == ["forums/views.py:1: module has 401 lines (limit 400); split it by topic"]
    assert code == 1


def test_function_of_61_lines_without_a_reason_fails_and_60_passes(tree, capsys):
    write(
        tree,
        "forums/views.py",
        "import os\n\n\n" + function_source("forum_detail", 61) + function_source("ok", 60),
    )

    code, out = run(tree, capsys)

    assert out[:-1] == [
        "forums/views.py:4: function forum_detail has 61 lines (limit 60); split it, "
        "or put '# structure: long because <reason>' on the line above it"
    ]
    assert "1 long functions" in out[-1]
    assert code == 1


def test_long_method_is_named_with_its_class(tree, capsys):
    source = "class Report:\n" + textwrap.indent(function_source("rows", 61), "    ")
    write(tree, "sessions_app/hr/report.py", source)

    code, out = run(tree, capsys)

    assert out[0].startswith("sessions_app/hr/report.py:2: function Report.rows has 61 lines")
    assert code == 1


def test_long_function_with_a_reason_passes(tree, capsys):
    reason = "# structure: long because one table, column by column, reads best in one place"
    decorated = function_source("chart", 80, comment=reason + "\n@cache")
    write(
        tree,
        "sessions_app/hr/charts.py",
        function_source("report", 80, comment=reason) + decorated,
    )

    code, out = run(tree, capsys)

    assert out == [
        "structure OK: 5 modules, 0 cycles, 0 layering violations, 0 long modules, 0 long functions"
    ]
    assert code == 0


def test_reason_comment_needs_a_reason(tree, capsys):
    write(
        tree,
        "forums/views.py",
        function_source("forum_detail", 61, comment="# structure: long because"),
    )

    code, out = run(tree, capsys)

    assert out[0].startswith("forums/views.py:2: function forum_detail has 61 lines")
    assert code == 1


def test_root_without_manage_py_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        check_structure.main(["--root", str(tmp_path)])

    assert exit_info.value.code == 2
    assert "holds no manage.py" in capsys.readouterr().err


def test_tangle_of_three_modules_is_reported_once_with_all_its_modules(tree, capsys):
    write(tree, "sessions_app/access.py", "from .notes import editor\n")
    write(tree, "sessions_app/notes/editor.py", "from ..access import x\nfrom . import review\n")
    write(tree, "sessions_app/notes/review.py", "from .editor import y\n")

    code, out = run(tree, capsys)

    assert out[:-1] == [
        "sessions_app/access.py:1: import cycle among 3 modules (sessions_app.access,"
        " sessions_app.notes.editor, sessions_app.notes.review), e.g. sessions_app.access"
        " → sessions_app.notes.editor → sessions_app.access"
    ]
    assert "1 cycles" in out[-1]
    assert code == 1
