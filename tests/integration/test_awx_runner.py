"""A playbook run the way AWX/AAP runs a job template: through ansible-runner, with the
credential type's injectors (docs/awx_credential_type.yml, parsed, not copied) rendered into
env/envvars, at -vvv. The job events say per task ok/changed/failed; no secret appears in the
output or in any event.
"""

import json
import os
import sys

import ansible_runner
import jinja2
import yaml

from helpers import seed, statuses

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CREDENTIAL_TYPE = os.path.join(ROOT, "docs", "awx_credential_type.yml")
PLAYBOOK = """
- name: Stop DRS jobs from a job template
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Stop the jobs
      huaweicloud.cloud.drs_batch_jobs:
        job_ids: "{{ drs_job_ids }}"
        delete_type: terminate
        poll_interval: 0.2
        wait_timeout: 60
    - name: Stop them again
      huaweicloud.cloud.drs_batch_jobs:
        job_ids: "{{ drs_job_ids }}"
        delete_type: terminate
"""


def render_injectors(inputs, folder):
    """What AWX does with a credential of this type: write its file injectors, then render its
    env injectors with the inputs (unset fields as empty strings) and ``tower.filename``."""
    credential_type = yaml.safe_load(open(CREDENTIAL_TYPE, encoding="utf-8"))
    fields = {field["id"]: inputs.get(field["id"], "") for field in credential_type["inputs"]["fields"]}
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    filenames = {}
    for name, template in credential_type["injectors"].get("file", {}).items():
        path = folder / ("credential-" + name.split(".", 1)[1])
        path.write_text(environment.from_string(template).render(**fields))
        filenames[name.split(".", 1)[1]] = str(path)
    context = dict(fields, tower={"filename": filenames})
    return {variable: environment.from_string(template).render(**context)
            for variable, template in credential_type["injectors"]["env"].items()}


def test_job_template_run_through_ansible_runner(emulator, tmp_path):
    emulator.config(status_lag=0.1, release_duration=0.3)
    jobs = seed(emulator, "INCRE_TRANSFER_STARTED", "PAUSING", "RELEASE_RESOURCE_COMPLETE")
    ident = emulator.identity
    inputs = dict(region=ident["region"], access_key=ident["access_key"], secret_key=ident["secret_key"],
                  project_id=ident["project_id"], drs_endpoint=emulator.url, iam_endpoint=emulator.url)
    private = tmp_path / "job"
    (private / "project").mkdir(parents=True)
    (private / "env").mkdir()
    (private / "inventory").mkdir()
    (private / "project" / "stop.yml").write_text(PLAYBOOK)
    (private / "inventory" / "hosts").write_text("localhost ansible_python_interpreter=%s\n" % sys.executable)
    envvars = render_injectors(inputs, private / "env")
    envvars["ANSIBLE_COLLECTIONS_PATH"] = os.environ["ANSIBLE_COLLECTIONS_PATH"]
    (private / "env" / "envvars").write_text(yaml.safe_dump(envvars))

    run = ansible_runner.run(private_data_dir=str(private), playbook="stop.yml", extravars={"drs_job_ids": jobs},
                             verbosity=3, quiet=True)

    assert (run.status, run.rc) == ("successful", 0), run.stdout.read()
    outcomes = [(event["event_data"]["task"], event["event"], event["event_data"]["res"].get("changed"))
                for event in run.events if event["event"] in ("runner_on_ok", "runner_on_failed")]
    assert outcomes == [("Stop the jobs", "runner_on_ok", True), ("Stop them again", "runner_on_ok", False)]
    assert set(statuses(emulator).values()) == {"RELEASE_RESOURCE_COMPLETE"}
    assert {entry["auth"] for entry in emulator.log()} == {"aksk"}
    # The secret key reached the modules (every request was signed), and nothing shows it.
    everything = run.stdout.read() + json.dumps(list(run.events))
    assert ident["secret_key"] not in everything
