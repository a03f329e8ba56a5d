"""Hostile input to drs_batch_jobs, property-based: odd IDs, unicode, huge and duplicate lists,
wrong types, out-of-range numbers.

The module runs in-process, as Ansible would run it, with its arguments patched in. The only
thing replaced is the network: ``requests.Session.request`` records each request and answers
with a refused connection, so an input that gets past validation shows up as a recorded request.
The properties:
* an input that is refused sends no request at all, and the message names the option (and,
  for the module's own checks and for choices, the offending value);
* an input that is accepted puts only well-formed job IDs on the wire, each once.
How many inputs were refused or accepted: ``--hypothesis-show-statistics``.
"""

import contextlib
import io
import json
import re

import pytest
import requests
from hypothesis import HealthCheck, event, given, settings, strategies as st

from ansible.module_utils import basic

from ansible_collections.huaweicloud.cloud.plugins.modules import drs_batch_jobs

SAFE_ID = re.compile(r"^[A-Za-z0-9._-]+$")
BASE_ARGS = dict(job_ids=["4c6ac8c0-2f51-426a-97b2-cb2c668jb201"], delete_type="terminate",
                 region="ap-southeast-1", project_id="0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                 access_key="AKHOSTILE", secret_key="hostile-secret-key", drs_endpoint="http://127.0.0.1:9",
                 retries=0, timeout=1)


def run(args):
    """(result, request bodies sent) of one in-process module run."""
    sent = []

    def refuse(session, method, url, **kwargs):
        sent.append(json.loads(kwargs.get("data") or b"null"))
        raise requests.exceptions.ConnectionError("network disabled in this test")

    payload = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode("utf-8")
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(basic, "_ANSIBLE_ARGS", payload)
        if hasattr(basic, "_ANSIBLE_PROFILE"):  # ansible-core 2.19+
            patch.setattr(basic, "_ANSIBLE_PROFILE", "legacy")
        patch.setattr(requests.Session, "request", refuse)
        with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
            drs_batch_jobs.main()
    return json.loads(out.getvalue()), sent


def check(option, value, result, sent):
    if not sent and not result.get("failed"):
        # A documented no-op: an empty list, or items that hold nothing but separators and blanks.
        assert result["jobs"] == [] and all(not _converted(item).replace(",", "").strip() for item in value), result
        event("accepted")
        return
    if sent:
        event("accepted")
        for body in sent:
            ids = body["jobs"]
            assert all(isinstance(job_id, str) and SAFE_ID.match(job_id) for job_id in ids), ids
            assert len(set(ids)) == len(ids)
        return
    event("refused")
    assert result.get("failed") is True, result
    msg = result["msg"]
    assert option in msg, (option, value, msg)
    if "unable to convert" in msg:
        return  # ansible-core's type conversion names the option and the type, not the value
    if option == "job_ids":
        # The item at fault is named by index and quoted (as ansible-core converted it to a string).
        # A part of a string split on separators is named with the item it came from.
        match = re.search(r"job_ids\[(\d+)\] \((.*)\) is not a valid job ID", msg)
        item = value[int(match.group(1))] if match else None
        named = (repr(item), repr(_converted(item)))
        assert match and (match.group(2) in named or match.group(2).endswith(' in ' + named[1])), msg
    else:
        # The module's own checks and ansible-core's choices check quote the value (as converted).
        forms = [repr(value), str(value)]
        if isinstance(value, float) and value.is_integer():
            forms.append(str(int(value)))
        assert any(form in msg for form in forms), (option, value, msg)


def _converted(item):
    """A job_ids item as ansible-core hands it to the module (2.19+ turns None into '')."""
    return '' if item is None else str(item)


# NUL is left out here: ansible-core 2.19+ refuses it in any argument before the module runs
# (it cannot log the invocation), with a message of its own; test_nul_is_refused_before_any_request
# covers the options where a NUL is always wrong.
# Lone surrogates are left out too: ansible-core crashes encoding them when it logs the invocation,
# before the module runs (they cannot come from a playbook's UTF-8 text either).
odd_text = st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), min_size=0, max_size=40)
id_like = st.from_regex(SAFE_ID, fullmatch=True).filter(lambda text: len(text) <= 64)
odd_items = st.one_of(odd_text, st.integers(), st.floats(allow_nan=False), st.none(), st.booleans(),
                      st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(id_like, odd_items), max_size=30))
def test_odd_job_ids_are_refused_by_name_or_sent_clean(job_ids):
    result, sent = run(dict(BASE_ARGS, job_ids=job_ids))
    check("job_ids", job_ids, result, sent)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(id_like, min_size=1, max_size=50), st.integers(min_value=2, max_value=200))
def test_huge_lists_with_duplicates_send_each_job_once(unique, repeat):
    job_ids = (unique * repeat)[:5000]
    result, sent = run(dict(BASE_ARGS, job_ids=job_ids))
    check("job_ids", job_ids, result, sent)
    assert [job["id"] for job in result["jobs"]] == list(dict.fromkeys(job_ids))


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


WRONG_VALUES = {
    "delete_type": st.one_of(odd_text, st.integers()),
    "on_running": st.one_of(odd_text.filter(lambda text: text not in ("fail", "terminate", "force_terminate")),
                            st.integers()),
    "wait": st.one_of(odd_text.filter(lambda text: text.strip().lower() not in (
        "yes", "no", "true", "false", "on", "off", "1", "0", "y", "n", "t", "f", "")), st.integers(min_value=2)),
    # Text that reads as a number ("7", "1E0") is a valid int to ansible-core, and "INF" makes
    # ansible-core 2.21 crash (OverflowError) before the module runs: both are left out.
    "wait_timeout": st.one_of(st.integers(max_value=0), odd_text.filter(lambda text: not _is_number(text))),
    # Infinity is left out: ansible-core 2.21 crashes converting it to an int (OverflowError).
    "batch_size": st.one_of(st.integers(max_value=0), st.integers(min_value=1001),
                            st.floats(allow_nan=False, allow_infinity=False)),
    "poll_interval": st.one_of(st.floats(max_value=0), st.floats(min_value=30.001, allow_infinity=False)),
    "retries": st.integers(max_value=-1),
    "timeout": st.integers(max_value=0),
    "max_concurrent_requests": st.one_of(st.integers(max_value=0), st.integers(min_value=11)),
    "drs_endpoint": odd_text.filter(lambda text: not text.startswith(("http://", "https://"))),
    "language": odd_text.filter(lambda text: text not in ("en-us", "zh-cn")),
    "validate_certs": odd_text.filter(lambda text: text.strip().lower() not in (
        "yes", "no", "true", "false", "on", "off", "1", "0", "y", "n", "t", "f", "")),
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(WRONG_VALUES)).flatmap(lambda option: st.tuples(st.just(option), WRONG_VALUES[option])))
def test_wrong_option_values_are_refused_before_any_request(option_value):
    option, value = option_value
    result, sent = run(dict(BASE_ARGS, **{option: value}))
    if option == "drs_endpoint" and value == "":
        return  # empty means "not set": the region's endpoint is used instead
    if option == "batch_size" and isinstance(value, float) and value.is_integer() and 1 <= value <= 1000:
        return  # ansible-core accepts 5.0 for an int
    assert not sent, (option, value, sent)
    check(option, value, result, sent)


@pytest.mark.parametrize("option", ["job_ids", "delete_type", "drs_endpoint"])
def test_nul_is_refused_before_any_request(option):
    value = ["job\x00id"] if option == "job_ids" else "x\x00y"
    result, sent = run(dict(BASE_ARGS, **{option: value}))
    assert result["failed"] is True and sent == []
