"""meta/runtime.yml must stay in step with plugins/modules/.

A module left out of the action group silently ignores `module_defaults:
group/huaweicloud.cloud.huaweicloud`, and a stale entry points users at a module that does not
exist; neither shows up anywhere else in the test suite.
"""

import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _runtime():
    with open(os.path.join(ROOT, "meta", "runtime.yml")) as handle:
        return yaml.safe_load(handle)


def _module_names():
    folder = os.path.join(ROOT, "plugins", "modules")
    if not os.path.isdir(folder):
        return []
    return sorted(
        name[: -len(".py")]
        for name in os.listdir(folder)
        if name.endswith(".py") and name != "__init__.py"
    )


def test_action_group_lists_exactly_the_modules():
    group = _runtime()["action_groups"]["huaweicloud"]
    assert len(group) == len(set(group)), "duplicate entries in the action group"
    assert sorted(group) == _module_names()
