# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The event source's loop, with the DRS reads scripted: events once, failed reads retried with a
growing wait, fatal errors end it, cancellation ends it and stops the reading thread's waits; and
its documentation agrees with the options it takes."""

import asyncio
import time

import pytest
import yaml

from ansible_collections.huaweicloud.cloud.extensions.eda.plugins.event_source import drs_job_events as source
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.connection_options import ENV_NAMES
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.plugin_utils import _drs_job_watch as watch
from ansible_collections.huaweicloud.cloud.plugins.plugin_utils._drs_job_events import JobView

ARGS = dict(region='ap-southeast-1', access_key='AK-EXAMPLE', secret_key='sk-example', project_id='p1',
            interval=0.01)


def jobs(**statuses):
    return dict((job_id, JobView('n-' + job_id, status, None)) for job_id, status in statuses.items()), []


class ScriptedWatch:
    """Stands in for JobWatch: each read answers the next entry of ``script`` (a read result or an
    exception to raise), then the last entry for ever. Records reads, renewals and the stop event."""

    def __init__(self, script):
        self.script = list(script)
        self.reads = 0
        self.renewals = 0
        self.stop = None
        self.threshold_ms = None
        self.read_times = []

    def __call__(self, params, warn, stop):
        self.stop = stop
        return self

    def read(self):
        self.read_times.append(time.monotonic())
        answer = self.script[min(self.reads, len(self.script) - 1)]
        self.reads += 1
        if isinstance(answer, Exception):
            raise answer
        return answer

    def renew(self):
        self.renewals += 1


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for names in ENV_NAMES.values():
        for name in names:
            monkeypatch.delenv(name, raising=False)


def run(monkeypatch, script, until_reads, **args):
    """Run the source until it has read ``until_reads`` times (then cancel it) or it ends by itself;
    returns (the scripted watch, the events put on the queue, the exception that ended it or None)."""
    fake = ScriptedWatch(script)
    monkeypatch.setattr(watch, 'JobWatch', fake)

    async def scenario():
        queue = asyncio.Queue()
        task = asyncio.create_task(source.main(queue, dict(ARGS, **args)))
        for dummy in range(2000):
            if task.done() or fake.reads >= until_reads:
                break
            await asyncio.sleep(0.005)
        ended = None
        if task.done():
            ended = task.exception()
        else:
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        found = []
        while not queue.empty():
            found.append(queue.get_nowait())
        return found, ended

    found, ended = asyncio.run(scenario())
    return fake, found, ended


def test_a_status_change_is_put_on_the_queue_once_over_many_polls(monkeypatch):
    script = [jobs(j1='RELEASE_RESOURCE_STARTED'), jobs(j1='RELEASE_RESOURCE_STARTED'),
              jobs(j1='RELEASE_RESOURCE_COMPLETE')]
    fake, found, ended = run(monkeypatch, script, until_reads=12)
    assert ended is None and fake.reads >= 12
    assert [(e['type'], e['job_id'], e['previous_status'], e['status']) for e in found] == [
        ('status_changed', 'j1', 'RELEASE_RESOURCE_STARTED', 'RELEASE_RESOURCE_COMPLETE')]


def test_initial_snapshot(monkeypatch):
    dummy, found, dummy = run(monkeypatch, [jobs(j1='CONFIGURATION', j2='INCRE_TRANSFER_STARTED')], until_reads=3,
                              initial_snapshot=True)
    assert [(e['type'], e['job_id']) for e in found] == [('snapshot', 'j1'), ('snapshot', 'j2')]


def test_a_throttled_read_is_retried_with_a_growing_wait_and_loses_nothing(monkeypatch):
    throttled = HuaweiCloudError('DRS list failed: HTTP 429', status=429, error_code='APIG.0308')
    script = [jobs(j1='INCRE_TRANSFER_STARTED'), throttled, throttled, throttled, jobs(j1='INCRE_TRANSFER_FAILED')]
    fake, found, ended = run(monkeypatch, script, until_reads=6, interval=0.05)
    assert ended is None
    assert [(e['type'], e['status']) for e in found] == [('status_changed', 'INCRE_TRANSFER_FAILED')]
    gaps = [later - earlier for earlier, later in zip(fake.read_times, fake.read_times[1:])]
    # After each failure the wait doubles: 0.1, 0.2, 0.4 s after the 1st, 2nd and 3rd failed read.
    assert gaps[1] >= 0.09 and gaps[2] >= 0.19 and gaps[3] >= 0.39


def test_a_server_error_on_the_first_read_does_not_end_the_source(monkeypatch):
    script = [HuaweiCloudError('HTTP 503', status=503), jobs(j1='CONFIGURATION'), jobs(j1='STARTJOBING')]
    dummy, found, ended = run(monkeypatch, script, until_reads=5)
    assert ended is None and [e['status'] for e in found] == ['STARTJOBING']


def test_refused_credentials_end_the_source_with_the_reason(monkeypatch):
    refused = HuaweiCloudError('DRS list failed: HTTP 401 APIG.0301: verify aksk signature fail.', status=401,
                               error_code='APIG.0301')
    fake, found, ended = run(monkeypatch, [refused], until_reads=50)
    assert isinstance(ended, watch.SourceError)
    assert 'Could not read the DRS jobs' in str(ended) and 'verify aksk signature fail' in str(ended)
    assert fake.reads == 1 and found == []


def test_a_401_after_reads_succeeded_signs_in_again_once(monkeypatch):
    expired = HuaweiCloudError('HTTP 401 token expires', status=401, error_code='APIG.0301')
    script = [jobs(j1='CONFIGURATION'), expired, jobs(j1='STARTJOBING'), expired, expired]
    fake, found, ended = run(monkeypatch, script, until_reads=50)
    assert fake.renewals == 2   # once per streak of refusals; the second 401 in a row is final
    assert [e['status'] for e in found] == ['STARTJOBING']
    assert isinstance(ended, watch.SourceError) and fake.reads == 5


def test_bad_options_end_the_source_before_any_read(monkeypatch):
    fake, found, ended = run(monkeypatch, [jobs()], until_reads=1, interval=0)
    assert isinstance(ended, watch.SourceError) and 'interval' in str(ended)
    assert fake.reads == 0


def test_cancellation_ends_the_source_and_stops_the_reading_threads_waits(monkeypatch):
    fake, dummy, ended = run(monkeypatch, [jobs(j1='CONFIGURATION')], until_reads=2)
    assert ended is None   # run() saw CancelledError come out of main, nothing else
    assert fake.stop.is_set()


DOC = yaml.safe_load(source.DOCUMENTATION)


def test_every_option_is_documented_with_its_type_default_and_choices():
    assert sorted(DOC['options']) == sorted(watch.ARGUMENT_SPEC)
    for name, spec in watch.ARGUMENT_SPEC.items():
        doc = DOC['options'][name]
        assert doc['type'] == spec['type'], name
        assert doc.get('default') == spec.get('default'), name
        assert doc.get('choices') == spec.get('choices'), name
        assert doc.get('elements') == spec.get('elements'), name


def test_the_documented_environment_variables_are_the_modules():
    for name, variables in ENV_NAMES.items():
        text = DOC['options'][name]['description']
        assert [variable for variable in variables if 'E(%s)' % variable not in text] == [], name


def test_the_example_is_a_rulebook_using_this_source():
    rulebook = yaml.safe_load(source.EXAMPLES)
    assert 'huaweicloud.cloud.drs_job_events' in rulebook[0]['sources'][0]
