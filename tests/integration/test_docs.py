"""The README, the user guide, galaxy.yml and the changelog say what the collection is and does.

The user guide's module_defaults example runs against the emulator as it is written; the option
tables agree with the modules' own documentation; every link of the README leads somewhere in the
artifact users install.
"""

import json
import os
import re
import subprocess
import sys
import tarfile
import textwrap

import pytest
import yaml

from conftest import ROOT
from helpers import mutating_requests, seed, statuses

GUIDE = os.path.join(ROOT, "docs", "docsite", "rst", "user_guide.rst")
README = os.path.join(ROOT, "README.md")
REPOSITORY = "https://github.com/huaweicloud/huaweicloud.cloud"


def _plugins(*path):
    return sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, *path)) if name.endswith(".py")
                  and name != "__init__.py")


MODULES = _plugins("plugins", "modules")
EVENT_SOURCES = _plugins("extensions", "eda", "plugins", "event_source")
# What each module and event source does, in the words galaxy.yml's description must use.
ACTIONS = {"drs_job": ("create", "configure", "precheck"), "drs_batch_jobs": ("stop", "delete"),
           "drs_job_state": ("pause", "resume", "start", "retry"), "drs_compare": ("compare", "consistent"),
           "drs_job_info": ("find", "progress"), "drs_job_events": ("event-driven ansible", "status changes")}


def _read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _yaml(path):
    return yaml.safe_load(_read(path))


@pytest.fixture(scope="module")
def module_docs():
    """What ansible-doc shows for every module, as users see it."""
    ansible_doc = os.path.join(os.path.dirname(sys.executable), "ansible-doc")
    done = subprocess.run([ansible_doc, "-t", "module", "-j"] + ["huaweicloud.cloud.%s" % name for name in MODULES],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=True, timeout=120)
    return dict((name.rsplit(".", 1)[1], entry["doc"]) for name, entry in json.loads(done.stdout).items())


def _connection_fragment():
    """Option name -> its environment variables in order (the fragment names them as E(...))."""
    source = _read(os.path.join(ROOT, "plugins", "doc_fragments", "connection.py"))
    documentation = yaml.safe_load(re.search(r"DOCUMENTATION = r'''(.*?)'''", source, re.S).group(1))
    return dict((name, re.findall(r"E\(([A-Z0-9_]+)\)", " ".join(option["description"])))
                for name, option in documentation["options"].items())


def _grid_tables(text):
    """Each RST grid table of ``text`` as a list of rows, each a list of cell texts."""
    tables, rows, cells = [], [], None
    for line in text.splitlines() + [""]:
        line = line.strip()
        if line.startswith("+") and line.endswith("+"):
            if cells:
                rows.append([" ".join(" ".join(part).split()) for part in cells])
            cells = []
        elif line.startswith("|") and cells is not None:
            parts = [part.strip() for part in line.strip("|").split("|")]
            cells = cells or [[] for dummy in parts]
            for column, part in enumerate(parts):
                cells[column].append(part)
        else:
            if rows:
                tables.append(rows)
            rows, cells = [], None
    return tables


def _literals(cell, pattern):
    return [word for word in re.findall(r"``([^`]+)``", cell) if re.match(pattern + "$", word)]


def _guide_option_rows():
    """(options, environment variables) of each row of the user guide's option tables."""
    found = []
    for table in _grid_tables(_read(GUIDE)):
        header = [cell.lower() for cell in table[0]]
        if not any(cell.startswith("environment") for cell in header):
            continue
        option_column = next(index for index, cell in enumerate(header) if cell.startswith("option"))
        env_column = next(index for index, cell in enumerate(header) if cell.startswith("environment"))
        found.extend((_literals(row[option_column], "[a-z_]+"), _literals(row[env_column], "[A-Z][A-Z0-9_]+"))
                     for row in table[1:])
    return found


def test_user_guide_tables_give_every_connection_option_with_its_environment_variables():
    fragment = _connection_fragment()
    rows = _guide_option_rows()

    for options, variables in rows:
        assert variables == [name for option in options for name in fragment[option]], (options, variables)
    assert sorted(option for options, dummy in rows for option in options) == sorted(fragment)


def test_the_connection_options_are_the_ones_every_module_takes(module_docs):
    """The user guide says: only connection options belong in the group's defaults."""
    shared = set.intersection(*(set(doc["options"]) for doc in module_docs.values())) - {"job_ids"}
    assert shared == set(_connection_fragment())


def _guide_example(heading):
    """The first YAML code block after ``heading`` in the user guide, as the playbook it is."""
    text = _read(GUIDE)
    after = text[text.index("\n%s\n" % heading):]
    block = after[after.index(".. code:: yaml\n") + len(".. code:: yaml\n"):]
    lines = []
    for line in block.splitlines():
        if line.strip() and not line.startswith("   "):
            break
        lines.append(line)
    return yaml.safe_load(textwrap.dedent("\n".join(lines)))


def _run_playbook(play, playbook, extra_vars):
    path = play.tmp_path / ("example%d.yml" % play.runs)
    path.write_text(yaml.safe_dump(playbook, sort_keys=False))
    return play.run_playbook(path, extra_vars)


def _module_defaults_example(emulator):
    emulator.config(status_lag=0.2, release_duration=0.3, start_duration=0.3)
    migrated = seed(emulator, "FULL_TRANSFER_COMPLETE", "FULL_TRANSFER_COMPLETE", db_use_type="migration")
    reporting = seed(emulator, "PAUSING", "INCRE_TRANSFER_STARTED", db_use_type="sync")
    ident = emulator.identity
    extra_vars = {"vault_hw_access_key": ident["access_key"], "vault_hw_secret_key": ident["secret_key"],
                  "reporting_sync_job_ids": reporting}
    return _guide_example("Set the options once: module_defaults"), extra_vars, migrated, reporting


def test_the_module_defaults_example_runs_every_module(play, emulator, module_docs):
    playbook, extra_vars, migrated, reporting = _module_defaults_example(emulator)
    defaults = playbook[0]["module_defaults"]
    assert set(defaults["group/huaweicloud.cloud.huaweicloud"]) <= set(_connection_fragment())
    used = set(key for task in playbook[0]["tasks"] for key in task if key.startswith("huaweicloud.cloud."))
    assert used == set("huaweicloud.cloud.%s" % name for name in MODULES)

    outcome = _run_playbook(play, playbook, extra_vars)

    assert outcome.rc == 0, outcome
    assert outcome.recap()["changed"] == 3  # the stop, the resume, the comparisons started
    assert sorted(comparison["job_id"] for comparison in emulator.comparisons()) == sorted(reporting)
    assert [statuses(emulator)[job] for job in migrated + reporting] == [
        "RELEASE_RESOURCE_COMPLETE", "RELEASE_RESOURCE_COMPLETE", "INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED"]


def test_an_option_of_some_modules_in_the_group_defaults_breaks_drs_job_info_as_the_guide_says(play, emulator):
    playbook, extra_vars, migrated, reporting = _module_defaults_example(emulator)
    defaults = playbook[0]["module_defaults"]
    defaults["group/huaweicloud.cloud.huaweicloud"].update(defaults.pop("huaweicloud.cloud.drs_batch_jobs"))

    outcome = _run_playbook(play, playbook, extra_vars)

    assert outcome.rc != 0
    assert "Unsupported parameters" in outcome.output and "wait_timeout" in outcome.output, outcome
    assert mutating_requests(emulator) == []


def test_readme_and_user_guide_name_every_module():
    readme, guide = _read(README), _read(GUIDE)
    for name in EVENT_SOURCES:
        assert "| `huaweicloud.cloud.%s` |" % name in readme
        assert "``huaweicloud.cloud.%s``" % name in guide.split("\nInstall\n")[0]
    for name in MODULES:
        assert "| `huaweicloud.cloud.%s` |" % name in readme
        assert "`ansible-doc huaweicloud.cloud.%s`" % name in readme
        assert "``ansible-doc huaweicloud.cloud.%s``" % name in guide
        assert "``huaweicloud.cloud.%s``" % name in guide.split("\nInstall\n")[0]   # in the overview


def test_user_guide_links_every_example_playbook():
    guide = _read(GUIDE)
    examples = os.path.join(ROOT, "docs", "examples")
    for name in sorted(os.listdir(examples)):
        if name.endswith(".yml"):
            assert "<%s/blob/main/docs/examples/%s>`__" % (REPOSITORY, name) in guide, name


def test_galaxy_description_says_what_every_module_does():
    description = _yaml(os.path.join(ROOT, "galaxy.yml"))["description"].lower()
    assert sorted(ACTIONS) == sorted(MODULES + EVENT_SOURCES)
    assert [action for actions in ACTIONS.values() for action in actions if action not in description] == []


def test_every_readme_link_leads_to_the_repository_or_into_the_built_artifact(tmp_path):
    galaxy = os.path.join(os.path.dirname(sys.executable), "ansible-galaxy")
    subprocess.run([galaxy, "collection", "build", ROOT, "--output-path", str(tmp_path)],
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=True, timeout=120)
    with tarfile.open(next(tmp_path.glob("huaweicloud-cloud-*.tar.gz"))) as artifact:
        shipped = artifact.getnames()

    links = re.findall(r"\]\(([^)\s]+)\)", _read(README))
    assert links
    for link in links:
        if link.startswith(("https://", "http://")):
            continue
        path = link.split("#")[0].rstrip("/")
        assert any(name == path or name.startswith(path + "/") for name in shipped), link


def _version(text):
    return tuple(int(part) for part in text.split("."))


def test_the_changelog_holds_every_release_and_the_readme_links_it(module_docs):
    releases = _yaml(os.path.join(ROOT, "changelogs", "changelog.yaml"))["releases"] or {}
    assert releases, "changelogs/changelog.yaml has no release"
    assert "[Changelog](CHANGELOG.md)" in _read(README)
    changelog = _read(os.path.join(ROOT, "CHANGELOG.md"))
    for version in releases:
        assert "## v%s\n" % version.replace(".", "\\.") in changelog
    # The version being built comes after the last release.
    assert _version(str(_yaml(os.path.join(ROOT, "galaxy.yml"))["version"])) > max(_version(v) for v in releases)
    # Each module is announced in the release that added it; one added in the version being built
    # is announced when that version is released (antsibull-changelog lists new modules then).
    building = str(_yaml(os.path.join(ROOT, "galaxy.yml"))["version"])
    for name, doc in module_docs.items():
        if str(doc["version_added"]) == building:
            continue
        added = releases[str(doc["version_added"])]
        assert name in [module["name"] for module in added.get("modules", [])], name


def test_install_commands_name_the_artifact_of_this_version():
    version = _yaml(os.path.join(ROOT, "galaxy.yml"))["version"]
    for path in (README, GUIDE, os.path.join(ROOT, "docs", "execution-environment", "requirements.yml")):
        names = re.findall(r"huaweicloud-cloud-[0-9.]+\.tar\.gz", _read(path))
        assert names and set(names) == {"huaweicloud-cloud-%s.tar.gz" % version}, path
