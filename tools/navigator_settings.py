"""Write an ansible-navigator settings file that runs plays in an execution environment with the
environment a credential of an AWX credential type injects (docs/awx_credential_type.yml).

Usage: python navigator_settings.py CREDENTIAL_TYPE FOLDER CONTAINER_OPTION... < INPUTS_JSON

The credential's inputs (a JSON object, field id -> value) come on standard input, never on a
command line. The env injectors are rendered as AWX renders them: every field, unset ones as
empty strings, and file injectors written to FOLDER with their paths as ``tower.filename``.
Variables that take a secret field's value go to navigator's ``pass`` list, so their values stay
in the environment, out of the settings file and of navigator's command line; this script prints
them as shell ``export`` lines for the caller to eval. The others go to the ``set`` list.
FOLDER/ansible-navigator.yml also runs podman with the CONTAINER_OPTIONs and keeps every file
navigator writes inside FOLDER (its log and ansible-runner's artifacts), with playbook artifacts
off. The image, the mode and the pull policy are left to navigator's command line.
"""

import json
import os
import shlex
import sys

import jinja2
import jinja2.meta
import yaml


def render_injectors(credential_type, inputs, folder):
    """{variable: value} as AWX injects a credential of this type, and the secret variables."""
    fields = {field["id"]: inputs.get(field["id"], "") for field in credential_type["inputs"]["fields"]}
    secret_fields = {field["id"] for field in credential_type["inputs"]["fields"] if field.get("secret")}
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    filenames = {}
    for name, template in credential_type["injectors"].get("file", {}).items():
        short_name = name.split(".", 1)[1]
        path = os.path.join(folder, "credential-" + short_name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(environment.from_string(template).render(**fields))
        filenames[short_name] = path
    context = dict(fields, tower={"filename": filenames})
    values, secrets = {}, set()
    for variable, template in credential_type["injectors"]["env"].items():
        values[variable] = environment.from_string(template).render(**context)
        if jinja2.meta.find_undeclared_variables(environment.parse(template)) & secret_fields:
            secrets.add(variable)
    return values, secrets


def navigator_settings(folder, container_options, values, secrets):
    """The settings file's content: the EE run, the credential's variables, files in FOLDER."""
    return {"ansible-navigator": {
        "execution-environment": {
            "enabled": True,
            "container-engine": "podman",
            "container-options": container_options,
            "environment-variables": {
                "pass": sorted(secrets),
                "set": dict(sorted((name, value) for name, value in values.items() if name not in secrets),
                            ANSIBLE_LOCALHOST_WARNING="false"),
            },
        },
        "playbook-artifact": {"enable": False},
        "ansible-runner": {"artifact-dir": os.path.join(folder, "runner")},
        # Not debug: at that level navigator logs the values of the variables it passes.
        "logging": {"file": os.path.join(folder, "ansible-navigator.log"), "level": "warning", "append": False},
        "color": {"enable": False},
    }}


def main(argv):
    credential_type_path, folder = argv[1:3]
    container_options = argv[3:]
    with open(credential_type_path, encoding="utf-8") as handle:
        credential_type = yaml.safe_load(handle)
    inputs = json.load(sys.stdin)
    os.makedirs(os.path.join(folder, "runner"), exist_ok=True)
    values, secrets = render_injectors(credential_type, inputs, folder)
    settings = navigator_settings(folder, container_options, values, secrets)
    with open(os.path.join(folder, "ansible-navigator.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(settings, handle, sort_keys=False)
    for variable in sorted(secrets):
        print("export %s=%s" % (variable, shlex.quote(values[variable])))


if __name__ == "__main__":
    main(sys.argv)
