"""Run real ansible-playbook against the emulator, the way users run the collection.

The ``play`` fixture writes a playbook and an inventory into ``tmp_path`` and runs the
``ansible-playbook`` that sits next to ``sys.executable``, so each virtualenv tests its own
ansible-core. Connection options go through ``module_defaults`` for the action group. Each
module task registers its result; an ``always`` task writes them to a file, so a failing task
is still inspected.
"""

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pytest
import yaml

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(TESTS)


def _collections_root():
    """Ansible only loads a collection from a path ending in ``ansible_collections/<ns>/<name>``,
    and the checkout is the collection itself. A throw-away tree with one symlink gives the
    ``ansible-playbook`` processes started here (``ANSIBLE_COLLECTIONS_PATH``) and the module
    processes (``PYTHONPATH``) the working tree as it is on disk, never an installed copy."""
    root = tempfile.mkdtemp(prefix="hwc-collections-")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    namespace = os.path.join(root, "ansible_collections", "huaweicloud")
    os.makedirs(namespace)
    os.symlink(ROOT, os.path.join(namespace, "cloud"))
    return root


os.environ["ANSIBLE_COLLECTIONS_PATH"] = _collections_root()
# The emulator package (tests/emulator) and this folder's helpers.
for path in (TESTS, os.path.dirname(os.path.abspath(__file__))):
    if path not in sys.path:
        sys.path.insert(0, path)

pytest_plugins = ["emulator.pytest_plugin"]

SUMMARIES = pytest.StashKey[list]()


def print_at_the_end(config, title, text):
    """Print ``text`` under ``title`` after the tests. An xdist worker's own terminal output is not
    shown, so a worker hands it to the controller, which prints it (``pytest_testnodedown``)."""
    if hasattr(config, "workeroutput"):
        config.workeroutput.setdefault("summaries", []).append([title, text])
    else:
        config.stash.setdefault(SUMMARIES, []).append((title, text))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    for title, text in getattr(node, "workeroutput", {}).get("summaries", []):
        node.config.stash.setdefault(SUMMARIES, []).append((title, text))


def pytest_terminal_summary(terminalreporter, config):
    for title, text in config.stash.get(SUMMARIES, []):
        terminalreporter.write_sep("=", title)
        terminalreporter.write_line(text)


# Tests that share a module-scoped fixture doing the work of all of them (the fault matrix runs
# every cell side by side): under pytest-xdist each of these runs on one worker, or every worker
# would do that work again. By node ID (file::function), because the xdist controller sees only
# node IDs; xdist's own marker for this (``xdist_group``) does nothing on pytest 9, whose nodes
# no longer read the ``_nodeid`` that xdist 3.8 rewrites.
ONE_WORKER = frozenset(["test_fault_matrix.py::test_cell"])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """xdist's default (``--dist load``: each test to the next free worker), but ``ONE_WORKER``
    functions each as one unit of work."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            function = nodeid.split("[", 1)[0]
            return function if function.rsplit("/", 1)[-1] in ONE_WORKER else nodeid

    return Scheduling(config, log)


MODULE = "huaweicloud.cloud.drs_batch_jobs"
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
# save_json: how a play saves its registered results, without starting a module process.
ACTION_PLUGINS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "action_plugins")
# Small enough that a wait costs well under a second against the fast emulator timings.
FAST = {"poll_interval": 0.2, "wait_timeout": 30}
EMULATOR_TIMINGS = {"status_lag": 0.2, "release_duration": 0.3}


def task(args, **keywords):
    """One module task: ``args`` for the module, ``keywords`` for the task (check_mode, diff...)."""
    return dict(args=args, keywords=keywords)


class Outcome:
    def __init__(self, rc, output, results):
        self.rc = rc
        self.output = output
        self.results = results

    @property
    def result(self):
        assert len(self.results) == 1
        return self.results[0]

    def recap(self):
        """The PLAY RECAP counters of localhost, e.g. {'ok': 2, 'changed': 1, 'failed': 0}."""
        line = next(line for line in self.output.splitlines() if line.startswith("localhost") and "ok=" in line)
        return dict((key, int(value)) for key, value in
                    (field.split("=") for field in line.split(":", 1)[1].split()))

    def __repr__(self):
        return "Outcome(rc=%r)\n%s" % (self.rc, self.output)


class Play:
    def __init__(self, tmp_path, emulator):
        self.tmp_path = tmp_path
        self.emulator = emulator
        self.runs = 0

    def connection(self, auth="aksk", discover=False):
        """Connection options for ``module_defaults``: one of the three auth methods."""
        ident = self.emulator.identity
        options = dict(region=ident["region"], drs_endpoint=self.emulator.url, iam_endpoint=self.emulator.url)
        if not discover:
            options["project_id"] = ident["project_id"]
        if auth == "aksk":
            options.update(access_key=ident["access_key"], secret_key=ident["secret_key"])
        elif auth == "token":
            options.update(auth_token=ident["static_token"])
        elif auth == "password":
            options.update(user_name=ident["user_name"], password=ident["password"],
                           domain_name=ident["domain_name"])
        else:
            raise ValueError(auth)
        return options

    def write(self, tasks, connection=None):
        """Write playbook and inventory; returns (command, result file)."""
        self.runs += 1
        folder = self.tmp_path / ("run%d" % self.runs)
        folder.mkdir()
        results_file = folder / "results.json"
        module_tasks = []
        names = []
        for index, item in enumerate(tasks):
            item = item if "args" in item else task(item)
            args = dict(FAST)
            args.update(item["args"])
            name = "r%d" % index
            names.append(name)
            keywords = dict(item["keywords"])
            module = keywords.pop("module", MODULE)  # task(args, module=...) for another module
            entry = {"name": "Module task %d" % index, module: args, "register": name}
            entry.update(keywords)
            module_tasks.append(entry)
        save = "[%s] | to_json" % ", ".join("%s | default(None)" % name for name in names)
        playbook = [{
            "name": "Integration test",
            "hosts": "localhost",
            "gather_facts": False,
            "module_defaults": {"group/huaweicloud.cloud.huaweicloud": connection or self.connection()},
            "tasks": [{
                "name": "Module tasks",
                "block": module_tasks,
                "always": [{
                    "name": "Save the registered results",
                    "save_json": {"content": "{{ %s }}" % save, "dest": str(results_file)},
                    "check_mode": False,
                    "diff": False,
                }],
            }],
        }]
        (folder / "play.yml").write_text(yaml.safe_dump(playbook, sort_keys=False))
        (folder / "inventory.yml").write_text(yaml.safe_dump({"all": {"hosts": {"localhost": {
            "ansible_connection": "local",
            "ansible_python_interpreter": "{{ ansible_playbook_python }}",
        }}}}))
        command = [ANSIBLE_PLAYBOOK, "-i", str(folder / "inventory.yml"), str(folder / "play.yml")]
        return command, results_file, folder

    def environment(self, folder, env=None):
        environ = dict((key, value) for key, value in os.environ.items()
                       if not key.startswith(("HW_", "HUAWEICLOUD_", "ANSIBLE_")))
        environ.update(
            ANSIBLE_COLLECTIONS_PATH=os.environ["ANSIBLE_COLLECTIONS_PATH"],
            ANSIBLE_ACTION_PLUGINS=ACTION_PLUGINS,
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_RETRY_FILES_ENABLED="0",
            ANSIBLE_LOCAL_TEMP=str(folder / "tmp"),
            ANSIBLE_HOME=str(folder / "home"),
            ANSIBLE_STDOUT_CALLBACK="default",
        )
        environ.update(env or {})
        return environ

    def start(self, *tasks, check=False, diff=False, verbosity=0, env=None, connection=None):
        """Start ansible-playbook in the background; ``finish`` collects it."""
        command, results_file, folder = self.write(tasks, connection)
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        if verbosity:
            command.append("-" + "v" * verbosity)
        process = subprocess.Popen(command, cwd=str(folder), env=self.environment(folder, env),
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return process, results_file

    @staticmethod
    def finish(started):
        process, results_file = started
        output, dummy = process.communicate(timeout=300)
        results = json.loads(results_file.read_text()) if results_file.exists() else None
        return Outcome(process.returncode, output, results)

    def run(self, *tasks, **options):
        """Run module tasks (dicts of module args, or ``task(...)``) in one play."""
        return self.finish(self.start(*tasks, **options))

    def run_playbook(self, playbook, extra_vars, *options):
        """Run a playbook as it is, credentials in the environment as AWX/AAP injects them."""
        self.runs += 1
        folder = self.tmp_path / ("run%d" % self.runs)
        folder.mkdir()
        (folder / "vars.json").write_text(json.dumps(extra_vars))
        ident = self.emulator.identity
        env = dict(HW_DRS_ENDPOINT=self.emulator.url, HUAWEICLOUD_SDK_IAM_ENDPOINT=self.emulator.url,
                   HW_REGION_NAME=ident["region"], HW_ACCESS_KEY=ident["access_key"],
                   HW_SECRET_KEY=ident["secret_key"])
        command = [ANSIBLE_PLAYBOOK, "-i", "localhost,", str(playbook), "-e", "@" + str(folder / "vars.json")]
        done = subprocess.run(command + list(options), cwd=str(folder), env=self.environment(folder, env),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300, check=False)
        return Outcome(done.returncode, done.stdout, None)


@pytest.fixture
def play(tmp_path, emulator):
    emulator.config(**EMULATOR_TIMINGS)
    return Play(tmp_path, emulator)
