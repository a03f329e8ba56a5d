"""Run a module the way Ansible runs it on the target: a real Python process, args in a JSON file.

``ansible-playbook`` wraps the same module file in AnsiballZ and hands it the same
``{"ANSIBLE_MODULE_ARGS": {...}}``; running it directly skips only the controller (templating,
callbacks, connection plugin), which costs ~1.5 s per play and adds nothing to what the module
decides, sends and returns.
"""

import json
import os
import subprocess
import sys

MODULES = "ansible_collections.huaweicloud.cloud.plugins.modules"


class ModuleRun:
    def __init__(self, rc, stdout, stderr, result, timed_out=False):
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.result = result
        self.timed_out = timed_out

    @property
    def warnings(self):
        """The module's warnings as text: ansible-core 2.19+ modules return them as structured
        events, which the controller turns back into the text users see."""
        texts = []
        for warning in (self.result or {}).get("warnings") or []:
            if isinstance(warning, dict):
                warning = (warning.get("event") or {}).get("msg", "")
            texts.append(warning)
        return texts

    def __repr__(self):
        return "ModuleRun(rc=%r, timed_out=%r)\nstdout: %s\nstderr: %s" % (
            self.rc, self.timed_out, self.stdout, self.stderr)


def module_command(args_file, module_args, module="drs_batch_jobs", check_mode=False, diff=False, env=None):
    """(command, environment) that run ``module`` with ``module_args`` (written to ``args_file``)."""
    args = dict(module_args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    with open(args_file, "w") as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": args}, handle)
    environ = dict((key, value) for key, value in os.environ.items()
                   if not key.startswith(("HW_", "HUAWEICLOUD_")))
    # The collections tree conftest.py built is what ansible-playbook would import from too.
    environ["PYTHONPATH"] = os.environ["ANSIBLE_COLLECTIONS_PATH"]
    environ.update(env or {})
    return [sys.executable, "-m", "%s.%s" % (MODULES, module), str(args_file)], environ


def run_module(args_file, module_args, timeout, module="drs_batch_jobs", check_mode=False, diff=False,
               env=None):
    """Run ``module`` with ``module_args``; ``result`` is its parsed JSON answer (None if none)."""
    command, environ = module_command(args_file, module_args, module, check_mode, diff, env)
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=timeout, env=environ, check=False)
    except subprocess.TimeoutExpired as exc:
        return ModuleRun(None, exc.stdout, exc.stderr, None, timed_out=True)
    try:
        result = json.loads(done.stdout)
    except ValueError:
        result = None
    return ModuleRun(done.returncode, done.stdout, done.stderr, result)


def start_module(args_file, module_args, module="drs_batch_jobs"):
    """Start ``module`` in the background (a process group of its own, so it can be killed whole)."""
    command, environ = module_command(args_file, module_args, module)
    return subprocess.Popen(command, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
