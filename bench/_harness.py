"""What the benchmark runs on: the emulator process, and ansible-playbook with a measured module.

Peak memory and CPU time: every module process is started through a small wrapper interpreter (set as
``ansible_python_interpreter``) that spawns the real Python, waits for it with ``wait4`` and
appends that one process's ``ru_maxrss`` and CPU time to a file. AnsiballZ runs the module inside that
process, so the figure is the module's own peak resident memory, not the controller's.
"""

import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(ROOT, "tests")
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from emulator.client import EmulatorClient  # noqa: E402  (lives in tests/, found through sys.path)

WRAPPER = """#!{python} -S
# Runs the module under the real interpreter; records its peak resident memory (KiB) and CPU seconds.
import os
import sys

real = {python!r}
pid = os.posix_spawn(real, [real] + sys.argv[1:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open({rss_file!r}, "a") as handle:
    handle.write("%d %.4f\\n" % (usage.ru_maxrss, usage.ru_utime + usage.ru_stime))
sys.exit(os.waitstatus_to_exitcode(status))
"""


class Workspace:
    """A temporary tree: the collection as Ansible wants to see it, the wrapper, play files."""

    def __init__(self, collection=ROOT):
        self.dir = tempfile.mkdtemp(prefix="hwc-bench-")
        namespace = os.path.join(self.dir, "collections", "ansible_collections", "huaweicloud")
        os.makedirs(namespace)
        os.symlink(os.path.abspath(collection), os.path.join(namespace, "cloud"))
        self.collections = os.path.join(self.dir, "collections")
        self.rss_file = os.path.join(self.dir, "rss.txt")
        self.interpreter = os.path.join(self.dir, "python-rss")
        with open(self.interpreter, "w", encoding="utf-8") as handle:
            handle.write(WRAPPER.format(python=sys.executable, rss_file=self.rss_file))
        os.chmod(self.interpreter, 0o755)
        config = os.path.join(self.dir, "ansible.cfg")
        open(config, "w").close()
        # An empty config and private temp dirs: no user or project ansible.cfg changes the runs.
        self.env = dict(os.environ, ANSIBLE_CONFIG=config, ANSIBLE_COLLECTIONS_PATH=self.collections,
                        ANSIBLE_LOCAL_TEMP=os.path.join(self.dir, "local-tmp"),
                        ANSIBLE_REMOTE_TMP=os.path.join(self.dir, "remote-tmp"),
                        ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_NOCOLOR="1",
                        ANSIBLE_RETRY_FILES_ENABLED="false")
        self.playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")

    def write(self, name, data):
        """Write ``data`` as JSON (which is YAML) and return the path."""
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        return path

    def wrapper_cost(self, samples=15):
        """Median extra seconds the wrapper adds to one interpreter start."""
        def median_start(argv):
            times = []
            for dummy in range(samples):
                start = time.monotonic()
                subprocess.run(argv + ["-c", "pass"], check=True)
                times.append(time.monotonic() - start)
            return sorted(times)[len(times) // 2]
        cost = median_start([self.interpreter]) - median_start([sys.executable])
        open(self.rss_file, "w").close()
        return cost

    def run_play(self, playbook, extra_vars_file=None):
        """Run one play; returns (wall seconds, peak module RSS in KiB, module CPU seconds summed
        over its module processes, module processes)."""
        open(self.rss_file, "w").close()
        argv = [self.playbook, "-i", "localhost,", playbook]
        if extra_vars_file:
            argv += ["-e", "@" + extra_vars_file]
        start = time.monotonic()
        done = subprocess.run(argv, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True, check=False)
        wall = time.monotonic() - start
        if done.returncode != 0:
            raise RuntimeError("ansible-playbook %s failed (rc %d):\n%s"
                               % (os.path.basename(playbook), done.returncode, done.stdout[-4000:]))
        with open(self.rss_file, encoding="utf-8") as handle:
            usage = [line.split() for line in handle if line.strip()]
        return wall, max([int(rss) for rss, dummy in usage] or [0]), sum(float(cpu) for dummy, cpu in usage), len(usage)

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class EmulatorProcess:
    """``python -m emulator`` in its own process, so its CPU time is not the benchmark's."""

    def __init__(self, workspace):
        port_file = os.path.join(workspace.dir, "emulator.port")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [TESTS, os.environ.get("PYTHONPATH")])))
        self._log = open(os.path.join(workspace.dir, "emulator.out"), "w")
        self._process = subprocess.Popen([sys.executable, "-m", "emulator", "--port", "0",
                                          "--port-file", port_file],
                                         env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while not (os.path.exists(port_file) and open(port_file).read().strip()):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the emulator did not start; see its output in %s" % workspace.dir)
            time.sleep(0.05)
        self.url = "http://127.0.0.1:%d" % int(open(port_file).read())
        self.control = EmulatorClient(self.url)
        self.identity = self.control.identity

    def fresh(self, jobs, status, name_prefix="bench-", **config):
        """Forget everything, apply ``config``, seed ``jobs`` jobs in ``status``; returns their IDs."""
        self.control.reset()
        if config:
            self.control.config(**config)
        seeded = self.control.seed([{"name": "%s%05d" % (name_prefix, index), "status": status}
                                    for index in range(jobs)])
        return [job["id"] for job in seeded]

    def requests(self):
        """Requests since the last reset, counted by endpoint short name."""
        return dict(collections.Counter(entry["endpoint"] for entry in self.control.log()))

    def connections(self):
        """TCP connections the emulator accepted so far, this call's own included."""
        return self.control.stats()["connections"]

    def accepted(self, endpoint="batch-jobs"):
        """How many items of ``endpoint`` requests the emulator accepted (status success)."""
        return sum(1 for entry in self.control.log(endpoint) for item in entry.get("results") or []
                   if str(item.get("status", "")).lower() == "success")

    def statuses(self):
        return dict(collections.Counter(job["status"] for job in self.control.jobs()))

    def stop(self):
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._log.close()
