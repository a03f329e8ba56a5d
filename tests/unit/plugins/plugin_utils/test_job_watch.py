# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The event source's options (checked before any request, secrets never echoed), what a failed
read means, and which DRS calls one read makes."""

import threading

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.connection_options import ENV_NAMES
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.plugin_utils._drs_job_events import JobView
from ansible_collections.huaweicloud.cloud.plugins.plugin_utils._drs_job_watch import (
    FATAL,
    RENEW,
    TRANSIENT,
    JobWatch,
    SourceError,
    Stopped,
    failure_kind,
    watch_options,
)

CONNECTION = dict(region='ap-southeast-1', access_key='AK-EXAMPLE', secret_key='sk-very-secret-value',
                  project_id='0a1b2c3d4e5f60718293a4b5c6d7e8f9')


def options(environ=None, **args):
    return watch_options(dict(CONNECTION, **args), environ or {})


def refusal(environ=None, **args):
    with pytest.raises(SourceError) as caught:
        watch_options(args, environ or {})
    return str(caught.value)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    # Argspec fallbacks read os.environ itself: the machine's variables must not leak in.
    for names in ENV_NAMES.values():
        for name in names:
            monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults():
    params, warnings = options()
    assert (params['interval'], params['delay_threshold'], params['initial_snapshot']) == (30, None, False)
    assert (params['timeout'], params['retries'], params['max_concurrent_requests']) == (30, 5, 4)
    assert params['job_ids'] is None and warnings == []


def test_strings_from_rulebook_variables_are_converted():
    params, dummy = options(interval='2.5', delay_threshold='60', initial_snapshot='yes', job_ids='a-1,b-2')
    assert (params['interval'], params['delay_threshold'], params['initial_snapshot']) == (2.5, 60.0, True)
    assert params['job_ids'] == ['a-1', 'b-2']


def test_connection_options_come_from_the_modules_environment_variables(clean_env):
    clean_env.setenv('HW_REGION_NAME', 'eu-west-101')
    clean_env.setenv('HW_DRS_ENDPOINT', 'http://127.0.0.1:9')
    environ = {'HW_ACCESS_KEY': 'AK-ENV', 'HW_SECRET_KEY': 'SK-ENV'}
    params, dummy = watch_options({}, environ)
    assert (params['region'], params['drs_endpoint']) == ('eu-west-101', 'http://127.0.0.1:9')
    assert (params['access_key'], params['secret_key']) == ('AK-ENV', 'SK-ENV')


@pytest.mark.parametrize('args, words', [
    (dict(interval=0), ['interval', '0']),
    (dict(interval=-1), ['interval', '-1']),
    (dict(interval='often'), ['interval', 'often']),
    (dict(delay_threshold=-5), ['delay_threshold', '-5']),
    (dict(job_ids=[]), ['job_ids is empty']),
    (dict(job_ids=['ok-1', "['x']"]), ['job_ids[1]', "['x']"]),
    (dict(job_ids=['j-1'], name='tmp'), ['mutually exclusive', 'job_ids', 'name']),
    (dict(name='a,b'), ['name', 'a,b', 'comma']),
    (dict(name=''), ['name must not be empty']),
    (dict(status=['RUNNING']), ['status', 'RUNNING']),
    (dict(db_use_type=['backup']), ['db_use_type', 'backup']),
    (dict(intervall=5), ['unknown option(s) intervall', 'interval']),
    (dict(max_concurrent_requests=50), ['max_concurrent_requests', '50']),
    (dict(drs_endpoint='drs.example.com'), ['drs_endpoint', 'drs.example.com']),
])
def test_bad_options_are_refused_naming_the_option_and_value(args, words):
    message = refusal(**dict(CONNECTION, **args))
    for word in words:
        assert word in message
    assert CONNECTION['secret_key'] not in message


def test_missing_credentials_name_every_method():
    message = refusal(region='ap-southeast-1')
    assert 'No credentials given' in message
    for name in ('auth_token', 'access_key', 'secret_key', 'user_name', 'password', 'domain_name', 'HW_ACCESS_KEY'):
        assert name in message


def test_secrets_are_not_echoed_in_any_message():
    # Incomplete credentials plus a wrong option: the secret given stays out of the message.
    message = refusal(region='ap-southeast-1', password='pa55-secret-word', timeout='soon')
    assert 'timeout' in message and 'pa55-secret-word' not in message
    message = refusal(region='ap-southeast-1', password='pa55-secret-word')
    assert 'user_name' in message and 'pa55-secret-word' not in message


def error(status=None, code=None):
    return HuaweiCloudError('failed', status=status, error_code=code)


@pytest.mark.parametrize('status, code, ever_read, renewed, kind', [
    (429, 'APIG.0308', False, False, TRANSIENT),
    (400, 'DRS.M01503', False, False, TRANSIENT),
    (503, 'APIG.0201', False, False, TRANSIENT),
    (500, None, True, True, TRANSIENT),
    (401, 'APIG.0301', False, False, FATAL),
    (401, 'APIG.0301', True, False, RENEW),
    (401, 'APIG.0301', True, True, FATAL),
    (403, 'DRS.M00261', True, False, FATAL),
    (400, 'DRS.M00200', True, False, FATAL),
    (404, 'APIGW.0101', False, False, FATAL),
    (None, None, False, False, FATAL),
    (None, None, True, False, TRANSIENT),
])
def test_failure_kind(status, code, ever_read, renewed, kind):
    assert failure_kind(error(status, code), ever_read, renewed) == kind


class FakeClient:
    """The three DrsClient calls a read makes, answering from ``jobs`` (id -> item) and ``delays``."""

    def __init__(self, jobs, delays=None):
        self.jobs = jobs
        self.delays = delays or {}
        self.calls = []

    def read_jobs(self, job_ids):
        self.calls.append(('read_jobs', list(job_ids)))
        return [self.jobs.get(job_id, {'id': job_id, 'error_code': 'DRS.M00289'}) for job_id in job_ids]

    def list_jobs(self, **filters):
        self.calls.append(('list', filters))
        return [item for item in self.jobs.values()
                if item.get('db_use_type') == filters['db_use_type'] and item.get('status') != 'DELETED']

    def batch_progress(self, job_ids):
        self.calls.append(('batch-progress', list(job_ids)))
        return [dict({'job_id': job_id}, **self.delays.get(job_id, {'error_code': 'DRS.M00289'}))
                for job_id in job_ids]


def job(job_id, status, db_use_type='migration'):
    return {'id': job_id, 'name': 'n-' + job_id, 'status': status, 'db_use_type': db_use_type}


ESTATE = {
    'a': job('a', 'INCRE_TRANSFER_STARTED'),
    'b': job('b', 'FULL_TRANSFER_STARTED', 'sync'),
    'c': job('c', 'DELETED'),
    'd': {'id': 'd', 'error_code': 'DRS.M00004', 'error_message': 'internal'},
    'e': job('e', 'INCRE_TRANSFER_STARTED', 'sync'),
}
DELAYS = {'a': {'incre_trans_delay_millis': '1500'}, 'e': {'incre_trans_delay': '-1', 'incre_trans_delay_millis': '-1'}}


def watcher(fake, **args):
    params, dummy = options(**args)
    job_watch = JobWatch(params, warn=lambda message: None)
    job_watch.client = fake
    return job_watch


def test_read_by_ids_reads_the_jobs_and_samples_only_jobs_in_incremental_sync():
    fake = FakeClient(ESTATE, DELAYS)
    jobs, unreadable = watcher(fake, job_ids=['a', 'b', 'c', 'd', 'e', 'x'], delay_threshold=60).read()
    assert jobs == {'a': JobView('n-a', 'INCRE_TRANSFER_STARTED', 1500), 'b': JobView('n-b', 'FULL_TRANSFER_STARTED', None),
                    'e': JobView('n-e', 'INCRE_TRANSFER_STARTED', None)}
    assert unreadable == ['d']   # a per-job error other than "not found"; c (DELETED) and x are gone
    assert fake.calls == [('read_jobs', ['a', 'b', 'c', 'd', 'e', 'x']), ('batch-progress', ['a', 'e'])]


def test_read_by_filters_lists_each_type_and_reads_no_delay_without_a_threshold():
    fake = FakeClient(ESTATE, DELAYS)
    jobs, unreadable = watcher(fake, status=['INCRE_TRANSFER_STARTED', 'FULL_TRANSFER_STARTED']).read()
    assert list(jobs) == ['a', 'b', 'e'] and unreadable == []
    assert [call[0] for call in fake.calls] == ['list', 'list', 'list']
    # Two statuses: listed once per type and filtered here (drs_job_info's rule).
    assert [call[1] for call in fake.calls] == [{'db_use_type': kind} for kind in ('migration', 'sync', 'cloudDataGuard')]


def test_read_by_filters_sends_one_status_and_the_name_to_the_api():
    fake = FakeClient(ESTATE)
    jobs, dummy = watcher(fake, db_use_type=['sync'], status=['FULL_TRANSFER_STARTED'], name='n-').read()
    assert fake.calls == [('list', {'db_use_type': 'sync', 'status': 'FULL_TRANSFER_STARTED', 'name': 'n-'})]
    assert list(jobs) == ['b']


def test_no_progress_request_when_no_job_is_in_incremental_sync():
    fake = FakeClient(ESTATE)
    watcher(fake, job_ids=['b'], delay_threshold=0).read()
    assert [call[0] for call in fake.calls] == ['read_jobs']


def test_a_retry_wait_gives_up_at_once_when_the_source_stops():
    stop = threading.Event()
    params, dummy = options()
    job_watch = JobWatch(params, warn=lambda message: None, stop=stop)
    stop.set()
    # The wait between the transport's retries is the one the stop ends (not time.sleep).
    with pytest.raises(Stopped):
        job_watch.client._transport._sleep(3600)


def test_renew_builds_a_new_client():
    params, dummy = options()
    job_watch = JobWatch(params, warn=lambda message: None)
    first = job_watch.client
    job_watch.renew()
    assert job_watch.client is not first
    stop = job_watch._stop
    stop.set()
    with pytest.raises(Stopped):  # the new client waits through the source's stop too
        job_watch.client._transport._sleep(3600)
