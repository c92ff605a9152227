"""The Python package imports from the build tree and exposes the parameter table."""

import anjian


def test_import_and_version():
    assert anjian.__version__
    assert anjian.git_commit


def test_params_table_matches_the_program(run_cli):
    table = anjian.params()
    assert "departments.emergency_management_staff" in set(table["key"])
    csv_lines = run_cli("params", "--format", "csv", check=True).stdout.strip().splitlines()
    assert len(table) == len(csv_lines) - 1
