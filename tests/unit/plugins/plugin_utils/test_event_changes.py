# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The event source's de-duplication: two reads in, the events of what changed out; the delay
threshold crossing; the wait after failed reads."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.huaweicloud.cloud.plugins.plugin_utils._drs_job_events import (
    DELAY_ABOVE,
    DELAY_BELOW,
    JOB_APPEARED,
    JOB_DISAPPEARED,
    MAX_RETRY_WAIT,
    SNAPSHOT,
    STATUS_CHANGED,
    JobView,
    changes,
    delay_crossing,
    retry_wait,
)

AT = '2026-01-02T03:04:05Z'


def read(**statuses):
    """A read of jobs by status, without delays: read(j1='INCRE_TRANSFER_STARTED', ...)."""
    return dict((job_id, JobView('name-' + job_id, status, None)) for job_id, status in statuses.items())


def kinds(events):
    return [(event['type'], event['job_id']) for event in events]


def test_the_first_read_only_sets_the_baseline():
    events, state = changes(None, read(j1='FULL_TRANSFER_STARTED', j2='CONFIGURATION'), AT)
    assert events == []
    assert sorted(state) == ['j1', 'j2']


def test_initial_snapshot_gives_one_event_per_job_in_read_order():
    events, dummy = changes(None, read(j2='CONFIGURATION', j1='FULL_TRANSFER_STARTED'), AT, snapshot=True)
    assert events == [
        {'type': SNAPSHOT, 'job_id': 'j2', 'name': 'name-j2', 'status': 'CONFIGURATION', 'previous_status': None,
         'at': AT},
        {'type': SNAPSHOT, 'job_id': 'j1', 'name': 'name-j1', 'status': 'FULL_TRANSFER_STARTED',
         'previous_status': None, 'at': AT},
    ]


def test_snapshot_is_only_for_the_first_read():
    dummy, state = changes(None, read(j1='CONFIGURATION'), AT)
    events, dummy = changes(state, read(j1='CONFIGURATION'), AT, snapshot=True)
    assert events == []


def test_a_status_change_is_reported_once_then_nothing_while_it_holds():
    dummy, state = changes(None, read(j1='RELEASE_RESOURCE_STARTED', j2='INCRE_TRANSFER_STARTED'), AT)
    reported = []
    for dummy in range(5):
        events, state = changes(state, read(j1='RELEASE_RESOURCE_COMPLETE', j2='INCRE_TRANSFER_STARTED'), AT)
        reported.extend(events)
    assert reported == [{'type': STATUS_CHANGED, 'job_id': 'j1', 'name': 'name-j1',
                         'status': 'RELEASE_RESOURCE_COMPLETE', 'previous_status': 'RELEASE_RESOURCE_STARTED',
                         'at': AT}]


def test_each_step_of_a_job_is_reported_with_the_step_before():
    steps = ['INCRE_TRANSFER_STARTED', 'RELEASE_RESOURCE_STARTED', 'RELEASE_RESOURCE_COMPLETE']
    dummy, state = changes(None, read(j1=steps[0]), AT)
    seen = []
    for status in steps[1:]:
        events, state = changes(state, read(j1=status), AT)
        seen.extend((event['previous_status'], event['status']) for event in events)
    assert seen == list(zip(steps, steps[1:]))


def test_jobs_that_appear_and_disappear():
    dummy, state = changes(None, read(j1='CONFIGURATION', j2='INCRE_TRANSFER_STARTED'), AT)
    events, state = changes(state, read(j2='INCRE_TRANSFER_STARTED', j3='CREATING'), AT)
    assert kinds(events) == [(JOB_APPEARED, 'j3'), (JOB_DISAPPEARED, 'j1')]
    assert events[1]['status'] is None and events[1]['previous_status'] == 'CONFIGURATION'
    assert events[1]['name'] == 'name-j1'
    assert sorted(state) == ['j2', 'j3']   # nothing kept of a job that is gone


def test_an_unreadable_job_keeps_its_state_and_is_not_reported_gone():
    dummy, state = changes(None, read(j1='INCRE_TRANSFER_STARTED'), AT)
    events, state = changes(state, {}, AT, unreadable=['j1'])
    assert events == []
    events, state = changes(state, read(j1='INCRE_TRANSFER_FAILED'), AT)
    assert kinds(events) == [(STATUS_CHANGED, 'j1')]
    assert events[0]['previous_status'] == 'INCRE_TRANSFER_STARTED'


def test_an_unreadable_job_never_seen_is_not_kept():
    dummy, state = changes(None, read(), AT)
    events, state = changes(state, {}, AT, unreadable=['j9'])
    assert events == [] and state == {}


def delays(*samples, **options):
    """Events of one job in incremental sync whose successive delay samples are ``samples`` (ms)."""
    state, reported = None, []
    for delay in samples:
        events, state = changes(state, {'j1': JobView('n', 'INCRE_TRANSFER_STARTED', delay)}, AT,
                                threshold_ms=options.get('threshold_ms', 60000))
        reported.append([(event['type'], event.get('delay_ms')) for event in events])
    return reported


def test_the_delay_crossing_the_threshold_up_then_down_is_reported_once_each_way():
    assert delays(1000, 59000, 61000, 90000, 61000, 60000, 0, 0) == [
        [], [], [(DELAY_ABOVE, 61000)], [], [], [(DELAY_BELOW, 60000)], [], []]


def test_a_job_already_lagging_when_first_seen_is_reported_at_once():
    assert delays(90000, 90000) == [[(DELAY_ABOVE, 90000)], []]


def test_a_missing_sample_changes_nothing():
    assert delays(90000, None, None, 90000, None, 100) == [
        [(DELAY_ABOVE, 90000)], [], [], [], [], [(DELAY_BELOW, 100)]]


def test_no_threshold_no_delay_events():
    assert delays(0, 900000, 0, threshold_ms=None) == [[], [], []]


def test_delay_events_carry_the_threshold():
    events, dummy = changes(None, {'j1': JobView('n', 'INCRE_TRANSFER_STARTED', 5001)}, AT, threshold_ms=5000)
    assert events == [{'type': DELAY_ABOVE, 'job_id': 'j1', 'name': 'n', 'status': 'INCRE_TRANSFER_STARTED',
                       'previous_status': None, 'at': AT, 'delay_ms': 5001, 'delay_threshold_ms': 5000}]


def test_delay_crossing_is_strictly_above():
    assert delay_crossing(False, 5000, 5000) == (None, False)
    assert delay_crossing(False, 5001, 5000) == (DELAY_ABOVE, True)
    assert delay_crossing(True, 5000, 5000) == (DELAY_BELOW, False)
    assert delay_crossing(True, None, 5000) == (None, True)


def test_retry_wait_doubles_up_to_its_cap():
    assert [retry_wait(10, n) for n in range(1, 7)] == [20, 40, 80, 160, MAX_RETRY_WAIT, MAX_RETRY_WAIT]
    assert retry_wait(0.5, 1) == 1
    # An interval longer than the cap is never shortened, and many failures do not overflow.
    assert retry_wait(900, 3) == 900
    assert retry_wait(1, 10 ** 6) == MAX_RETRY_WAIT


STATUSES = st.sampled_from(['CONFIGURATION', 'INCRE_TRANSFER_STARTED', 'RELEASE_RESOURCE_STARTED',
                            'RELEASE_RESOURCE_COMPLETE'])
READS = st.lists(st.dictionaries(st.sampled_from(['j1', 'j2', 'j3', 'j4']),
                                 st.tuples(STATUSES, st.one_of(st.none(), st.integers(0, 120000))), max_size=4),
                 min_size=1, max_size=12)


@settings(max_examples=300)
@given(READS)
def test_every_change_once_and_a_repeated_read_reports_nothing(reads):
    state, previous = None, None
    last_delay_event = {}   # job -> the type of its last delay event while it stayed watched
    for raw in reads:
        current = dict((job_id, JobView(job_id, status, delay)) for job_id, (status, delay) in raw.items())
        events, state = changes(state, current, AT, threshold_ms=60000)
        for event in events:
            if event['type'] in (DELAY_ABOVE, DELAY_BELOW):
                # Crossings alternate, the first one upwards, each on the side its sample is on.
                assert event['type'] != last_delay_event.get(event['job_id'], DELAY_BELOW)
                assert (event['delay_ms'] > 60000) == (event['type'] == DELAY_ABOVE)
                last_delay_event[event['job_id']] = event['type']
        last_delay_event = dict((j, kind) for j, kind in last_delay_event.items() if j in current)
        if previous is not None:
            expected = sorted(
                [(STATUS_CHANGED, j) for j in current if j in previous and current[j].status != previous[j].status]
                + [(JOB_APPEARED, j) for j in current if j not in previous]
                + [(JOB_DISAPPEARED, j) for j in previous if j not in current])
            assert sorted(kind for kind in kinds(events) if kind[0] not in (DELAY_ABOVE, DELAY_BELOW)) == expected
        # The same read again: nothing changed, nothing is reported.
        again, state = changes(state, current, AT, threshold_ms=60000)
        assert again == []
        assert sorted(state) == sorted(current)
        previous = current
