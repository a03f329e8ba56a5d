"""Run a real ansible-rulebook (``.venv/rulebook``, Java 17) with the collection's event source
against the emulator: the process, what it printed, and small builders of rulebooks.

ansible-rulebook runs with ``--print-events``; the events it received are read back from its
output.
"""

import ast
import glob
import os
import signal
import subprocess
import time

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RULEBOOK_VENV = os.path.abspath(os.environ.get("RULEBOOK_VENV") or os.path.join(ROOT, ".venv", "rulebook"))
SOURCE = "huaweicloud.cloud.drs_job_events"
INVENTORY = {"all": {"hosts": {"localhost": {
    "ansible_connection": "local",
    "ansible_python_interpreter": "{{ ansible_playbook_python }}",
}}}}


def java_home():
    """A Java 17 runtime for ansible-rulebook: JAVA_HOME, else Debian's openjdk-17 package."""
    for home in [os.environ.get("JAVA_HOME")] + sorted(glob.glob("/usr/lib/jvm/java-17-openjdk-*")):
        if home and os.path.exists(os.path.join(home, "bin", "java")):
            return home
    pytest.fail("no Java 17 runtime: `make setup` installs openjdk-17-jre-headless")


class Run:
    """One ansible-rulebook process and what it printed."""

    def __init__(self, process, output_file):
        self.process = process
        self.output_file = output_file
        self.rc = None

    @property
    def output(self):
        return self.output_file.read_text()

    def wait(self, timeout=90):
        try:
            self.rc = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError("ansible-rulebook did not end within %s s:\n%s" % (timeout, self.output))
        return self

    def stop(self):
        """End it as a user does (Ctrl-C), then wait."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.rc = self.process.returncode
        return self

    def events(self, kind=None):
        """The events the source put on the queue, as ansible-rulebook printed them (without ``meta``)."""
        found = []
        for block in self.output.split("[received event]")[1:]:
            text = block.split("Event:\n", 1)[1].split("\n*****", 1)[0]
            try:
                event = ast.literal_eval(text)
            except (SyntaxError, ValueError):
                continue   # not an event of the source (ansible-rulebook's Shutdown(...))
            event.pop("meta", None)
            if kind is None or event.get("type") == kind:
                found.append(event)
        return found

    def __repr__(self):
        return "Run(rc=%r)\n%s" % (self.rc, self.output)


class Rulebook:
    """Writes a rulebook (and the files it needs) into a folder and starts ansible-rulebook there."""

    def __init__(self, tmp_path, emulator, collections):
        self.tmp_path = tmp_path
        self.emulator = emulator
        self.collections = collections
        self.runs = 0

    def connection_env(self, **overrides):
        ident = self.emulator.identity
        env = dict(HW_REGION_NAME=ident["region"], HW_PROJECT_ID=ident["project_id"],
                   HW_DRS_ENDPOINT=self.emulator.url, HUAWEICLOUD_SDK_IAM_ENDPOINT=self.emulator.url,
                   HW_ACCESS_KEY=ident["access_key"], HW_SECRET_KEY=ident["secret_key"])
        env.update(overrides)
        return env

    def start(self, rulebook, files=None, env=None):
        """Start ansible-rulebook on ``rulebook`` (a list of rulesets) in a new folder holding
        ``files`` ({relative path: text}) and an inventory with localhost."""
        self.runs += 1
        folder = self.tmp_path / ("rulebook%d" % self.runs)
        folder.mkdir()
        for name, text in (files or {}).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text)
        (folder / "rulebook.yml").write_text(yaml.safe_dump(rulebook, sort_keys=False))
        (folder / "inventory.yml").write_text(yaml.safe_dump(INVENTORY))
        environ = dict((key, value) for key, value in os.environ.items()
                       if not key.startswith(("HW_", "HUAWEICLOUD_", "ANSIBLE_", "JAVA_HOME")))
        environ.update(
            PATH=os.path.join(RULEBOOK_VENV, "bin") + os.pathsep + environ.get("PATH", ""),
            JAVA_HOME=java_home(),
            ANSIBLE_COLLECTIONS_PATH=self.collections,
            ANSIBLE_HOME=str(folder / "ansible-home"),
            ANSIBLE_LOCAL_TEMP=str(folder / "tmp"),
            ANSIBLE_NOCOLOR="1",
        )
        environ.update(self.connection_env() if env is None else env)
        output = folder / "output.txt"
        with open(output, "w") as handle:
            process = subprocess.Popen(
                [os.path.join(RULEBOOK_VENV, "bin", "ansible-rulebook"), "-r", "rulebook.yml", "-i", "inventory.yml",
                 "--print-events"],
                cwd=str(folder), env=environ, stdout=handle, stderr=subprocess.STDOUT, text=True)
        return Run(process, output)


def wait_until(predicate, what, timeout=60):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting until %s" % what)
        time.sleep(0.05)


def source(**args):
    """One source of this collection's event source with ``args``."""
    return {"name": "drs", SOURCE: args}


def ruleset(sources, *rules):
    return [{"name": "DRS jobs", "hosts": "localhost", "sources": sources, "rules": list(rules)}]


def rule(name, condition, action):
    return {"name": name, "condition": condition, "action": action}


def shutdown_when(condition):
    return rule("stop the test", condition, {"shutdown": {"message": "test done", "delay": 0}})


def example(*path):
    return os.path.join(ROOT, "docs", "examples", "rulebooks", *path)
