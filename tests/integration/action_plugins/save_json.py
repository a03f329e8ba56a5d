"""Test harness: write ``content`` to the file ``dest`` on the controller, without a module.

The plays the integration tests write end by saving their registered results (a JSON string
templated from the registered variables) for the test to read. ``ansible.builtin.copy`` would
start a module process for that, about 0.6 s of CPU per play; this action writes the file in the
controller process. Found through ANSIBLE_ACTION_PLUGINS, which ``Play.environment`` sets.
"""

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        with open(self._task.args["dest"], "w", encoding="utf-8") as handle:
            handle.write(self._task.args["content"])
        result["changed"] = False
        return result
