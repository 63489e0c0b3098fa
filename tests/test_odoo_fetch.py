"""The scripts fetch Odoo 18.0 themselves on a machine without it (offline check).

``ensure_odoo_src`` (scripts/common.sh) clones ODOO_GIT_REF of ODOO_GIT_URL into ODOO_SRC
when that holds no ``odoo-bin``. Here the URL points at a local repository shaped like an
Odoo tree, so the mechanism is exercised without a network.
"""

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   cwd=cwd, check=True, capture_output=True)


def fake_odoo(path, version="(18, 0, 0, FINAL, 0)"):
    (path / "odoo").mkdir(parents=True)
    (path / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    (path / "odoo" / "release.py").write_text(f"version_info = {version}\n")
    git(path, "init", "-q", "-b", "18.0")
    git(path, "config", "uploadpack.allowAnySHA1InWant", "true")
    git(path, "add", ".")
    git(path, "commit", "-q", "-m", "Odoo 18.0")
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=path, check=True,
                          capture_output=True, text=True).stdout.strip()


def ensure(dest, url, ref):
    env = dict(os.environ, ODOO_SRC=str(dest), ODOO_GIT_URL=url, ODOO_GIT_REF=ref)
    return subprocess.run(
        ["bash", "-c", f'source "{REPO}/scripts/common.sh"; ensure_odoo_src'],
        env=env, capture_output=True, text=True,
    )


def test_missing_odoo_is_fetched_by_branch_or_commit(tmp_path):
    commit = fake_odoo(tmp_path / "upstream")
    for ref in ("18.0", commit):
        dest = tmp_path / f"odoo-{ref[:6]}"
        result = ensure(dest, f"file://{tmp_path / 'upstream'}", ref)
        assert result.returncode == 0, result.stderr
        assert (dest / "odoo-bin").is_file()
        assert not (dest / ".git").exists(), "only the tree, not a repository to commit"
        # A second call finds it and fetches nothing.
        again = ensure(dest, "file:///nowhere", ref)
        assert again.returncode == 0, again.stderr
        assert "fetching" not in again.stdout


def test_unreachable_source_keeps_the_clear_message(tmp_path):
    result = ensure(tmp_path / "odoo", f"file://{tmp_path / 'nowhere'}", "18.0")
    assert result.returncode != 0
    assert "Odoo 18.0 source tree expected" in result.stderr
    assert "no network?" in result.stderr
    assert not (tmp_path / "odoo").exists()


def test_a_tree_of_another_version_is_refused(tmp_path):
    fake_odoo(tmp_path / "upstream", version="(17, 0, 0, FINAL, 0)")
    result = ensure(tmp_path / "odoo", f"file://{tmp_path / 'upstream'}", "18.0")
    assert result.returncode != 0
    assert "is not Odoo 18.0" in result.stderr
