"""Driver of ``make test-guards`` (see tests/guards/guards.py for the list and its format).

Run by scripts/test-guards.sh, which exports the environment (VENV, ODOO_SRC, DATA_DIR,
PG*) and passes the kept database. Steps:

1. check every entry: its file exists, ``find`` occurs exactly once, the mutated Python
   file compiles - any problem stops the run before anything is measured;
2. copy the repository's files (tracked and untracked, not ignored) into a temporary
   directory: mutations are applied there only, so the working tree is never changed,
   whatever happens (Ctrl-C included); the copy is removed at the end;
3. baseline: every selection once, unmutated, in one pytest run: it must pass;
4. each guard: mutate the copy, upgrade a throwaway copy of the database when the mutation
   changes data or schema, run its selection (stopping at the first failure) with a short
   per-test timeout, restore the file; killed = a test failed;
5. print the table; exit 1 naming every guard not killed.
"""

import argparse
import fnmatch
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GUARDS_FILE = REPO / "tests" / "guards" / "guards.py"
DATA_FILES = (".xml", ".csv")


def load_guards(path=GUARDS_FILE):
    spec = importlib.util.spec_from_file_location("meusite_guard_list", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.GUARDS


def selection(guard):
    """pytest arguments of a guard: node ids, then ``-k`` and the rest as one expression."""
    ids, __, expr = guard.tests.partition(" -k ")
    args = shlex.split(ids)
    return args + (["-k", expr.strip()] if expr.strip() else [])


def node_ids(guard):
    return shlex.split(guard.tests.partition(" -k ")[0])


def upgrades(guard):
    if guard.upgrade:
        return guard.upgrade
    if guard.file.endswith(DATA_FILES):
        return guard.file.split("/", 1)[0]
    return ""


def check(guards):
    problems, seen = [], set()
    for guard in guards:
        where = f"{guard.name} ({guard.file})"
        if guard.name in seen:
            problems.append(f"{where}: the name is used twice")
        seen.add(guard.name)
        path = REPO / guard.file
        if not path.is_file():
            problems.append(f"{where}: no such file")
            continue
        text = path.read_text(encoding="utf-8")
        count = text.count(guard.find)
        if count != 1:
            problems.append(f"{where}: `find` occurs {count} times (must be exactly once): "
                            "the code moved or changed, update the entry")
            continue
        if guard.find == guard.replace:
            problems.append(f"{where}: `replace` equals `find`")
        if not node_ids(guard):
            problems.append(f"{where}: no test node id")
        for node in node_ids(guard):
            test_path, *names = node.split("::")
            if not (REPO / test_path).exists():
                problems.append(f"{where}: test path {node} does not exist")
            elif names and (REPO / test_path).is_file():
                source = (REPO / test_path).read_text(encoding="utf-8")
                for kind, name in zip(("class", "def"), names, strict=False):
                    if not re.search(rf"^\s*{kind} {re.escape(name)}\b", source, re.M):
                        problems.append(f"{where}: no {kind} {name} in {test_path}")
        if guard.file.endswith(".py"):
            try:
                compile(text.replace(guard.find, guard.replace), guard.file, "exec")
            except SyntaxError as error:
                problems.append(f"{where}: the mutated file does not compile: {error}")
    return problems


def copy_repo(target):
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, check=True, capture_output=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():  # a tracked file deleted in the working tree is skipped
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


class Runner:
    def __init__(self, args, tree):
        self.args = args
        self.tree = tree
        self.env = dict(os.environ, PYTHONPATH=os.environ["ODOO_SRC"])
        self.logs = Path(os.environ["DATA_DIR"]) / "test-guards"
        self.logs.mkdir(parents=True, exist_ok=True)

    def pytest(self, db, args, log_name):
        odoo = os.environ["ODOO_SRC"]
        command = [
            str(Path(os.environ["VENV"]) / "bin" / "pytest"),
            f"--odoo-config={self.tree / 'odoo.conf'}", f"--odoo-database={db}", "--odoo-http",
            f"--odoo-addons-path={odoo}/addons,{odoo}/odoo/addons,{self.tree}",
            f"--odoo-extra=data-dir={os.environ['DATA_DIR']}",
            f"--odoo-extra=db_host={os.environ['PGHOST']}",
            f"--odoo-extra=db_port={os.environ['PGPORT']}",
            f"--odoo-extra=db_user={os.environ['PGUSER']}",
            f"--odoo-extra=db_password={os.environ['PGPASSWORD']}",
            f"--odoo-extra=http-port={os.environ.get('HTTP_PORT') or 8069}",
            "--odoo-log-level=error", "-q", "-p", "no:randomly",
            f"--timeout={self.args.timeout}", *args,
        ]
        log = self.logs / f"{log_name}.log"
        env = dict(self.env, MEUSITE_TEST_DB=db)
        with open(log, "w", encoding="utf-8") as out:
            try:
                code = subprocess.run(command, cwd=self.tree, env=env, stdout=out,
                                      stderr=subprocess.STDOUT, timeout=self.args.run_timeout,
                                      check=False).returncode
            except subprocess.TimeoutExpired:
                code = None
        return code, log

    def selected_tests(self, guards):
        """The node ids every guard's selection runs, for one baseline run of just those:
        one collection, then each ``-k`` applied as pytest does (a case-insensitive substring
        of a name in the node id; matching the whole id only ever selects more)."""
        from _pytest.mark.expression import Expression  # noqa: PLC0415 - pytest's -k grammar

        paths = list(dict.fromkeys(n for g in guards for n in node_ids(g)))
        # Whole files only: given a file and a test of that file, pytest collects the test
        # alone, and the other tests of the file would miss the baseline.
        files = list(dict.fromkeys(n.split("::")[0] for n in paths))
        code, log = self.pytest(self.args.db, ["--collect-only", *files], "collect")
        collected = [line.strip() for line in log.read_text(encoding="utf-8").splitlines()
                     if "::" in line and not line.startswith(" ")]
        if code != 0 or not collected:
            return paths  # let the baseline run say what is wrong
        chosen = []
        for guard in guards:
            expr = guard.tests.partition(" -k ")[2].strip()
            match = Expression.compile(expr).evaluate if expr else None
            for test in collected:
                if not any(test == n or test.startswith(n + "::") or test.startswith(n + "/")
                           or (n.endswith(".py") and test.startswith(n + "::"))
                           for n in node_ids(guard)):
                    continue
                if match is None or match(lambda word, test=test: word.lower() in test.lower()):
                    chosen.append(test)
        return list(dict.fromkeys(chosen))

    def odoo(self, *args):
        return subprocess.run(["bash", str(self.tree / "scripts/odoo.sh"), *args],
                              env=self.env, capture_output=True, text=True, check=False)

    def copy_db(self, name):
        data = Path(os.environ["DATA_DIR"]) / "filestore"
        subprocess.run(["createdb", "-T", self.args.db, name], check=True, env=self.env)
        if (data / self.args.db).is_dir():
            shutil.copytree(data / self.args.db, data / name, symlinks=True)

    def drop_db(self, name):
        subprocess.run(["dropdb", "--if-exists", name], check=False, env=self.env,
                       capture_output=True)
        shutil.rmtree(Path(os.environ["DATA_DIR"]) / "filestore" / name, ignore_errors=True)

    def run_guard(self, guard):
        path = self.tree / guard.file
        original = path.read_text(encoding="utf-8")
        path.write_text(original.replace(guard.find, guard.replace), encoding="utf-8")
        db, scratch = self.args.db, ""
        try:
            if upgrades(guard):
                scratch = db = f"{self.args.db}_guard"
                self.drop_db(scratch)
                self.copy_db(scratch)
                done = self.odoo("-d", scratch, "-u", upgrades(guard), "--stop-after-init",
                                 "--no-http", "--log-level=warn")
                if done.returncode:
                    return "ERROR", f"upgrade failed: {done.stderr[-500:]}", None
            code, log = self.pytest(db, ["-x", *selection(guard)], guard.name)
        finally:
            path.write_text(original, encoding="utf-8")
            if scratch:
                self.drop_db(scratch)
        summary = last_summary(log)
        if code == 1 and re.search(r"\d+ failed", summary):
            return "killed", summary, log
        if code == 0:
            return "SURVIVED", summary, log
        if code is None:
            return "HUNG", f"no answer in {self.args.run_timeout}s", log
        if code == 5:
            return "ERROR", "the selection matches no test", log
        return "ERROR", f"pytest exit {code}: {summary}", log


def last_summary(log):
    lines = [line.strip() for line in log.read_text(encoding="utf-8", errors="replace")
             .splitlines() if line.strip()]
    for line in reversed(lines):
        if re.search(r"\d+ (passed|failed|error)|no tests ran", line):
            return line.strip("= ")
    return lines[-1] if lines else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="the kept database (tests run on it)")
    parser.add_argument("--only", default="",
                        help="space-separated names or globs of the guards to run")
    parser.add_argument("--timeout", type=int, default=120, help="per-test limit, seconds")
    parser.add_argument("--run-timeout", type=int, default=600,
                        help="limit of one guard's whole pytest run, seconds")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the unmutated run (only when it just passed)")
    parser.add_argument("--list", action="store_true", help="print the guards and exit")
    parser.add_argument("--guards", default=str(GUARDS_FILE),
                        help="another list of the same format (to try an entry out)")
    args = parser.parse_args()

    guards = load_guards(args.guards)
    if args.only:
        patterns = args.only.split()
        guards = [g for g in guards if any(fnmatch.fnmatch(g.name, p) for p in patterns)]
        if not guards:
            sys.exit(f"test-guards: no guard matches {args.only!r}")
    if args.list:
        for guard in guards:
            print(f"{guard.name:40} {guard.file}")
        return 0
    problems = check(guards)
    if problems:
        print("test-guards: the guard list does not match the code:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="meusite-guards-") as tmp:
        tree = Path(tmp)
        copy_repo(tree)
        runner = Runner(args, tree)
        if not args.no_baseline:
            ids = runner.selected_tests(guards)
            print(f"baseline: the {len(ids)} tests of the selections, unmutated ...",
                  flush=True)
            code, log = runner.pytest(args.db, ids, "baseline")
            if code != 0:
                print(f"test-guards: the tests fail (or hang) WITHOUT any mutation "
                      f"({last_summary(log)}); see {log}. Fix them first.", file=sys.stderr)
                return 2
            print(f"baseline: {last_summary(log)}", flush=True)
        results = []
        width = max(len(g.name) for g in guards)
        print(f"\n{'guard':{width}}  {'result':8}  {'seconds':>7}  tests", flush=True)
        for guard in guards:
            start = time.monotonic()
            outcome, summary, log = runner.run_guard(guard)
            seconds = time.monotonic() - start
            results.append((guard, outcome, log))
            print(f"{guard.name:{width}}  {outcome:8}  {seconds:7.1f}  {summary}", flush=True)
    bad = [(g, outcome, log) for g, outcome, log in results if outcome != "killed"]
    total = time.monotonic() - started
    print(f"\n{len(results) - len(bad)} of {len(results)} guards killed in {total:.0f} s.")
    if bad:
        for guard, outcome, log in bad:
            print(f"  {outcome}: {guard.name} ({guard.file}): {guard.tests}"
                  + (f"; log {log}" if log else ""), file=sys.stderr)
        print("test-guards: every guard needs a test that fails without it.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
