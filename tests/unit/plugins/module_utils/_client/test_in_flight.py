# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""map_in_flight: the first call alone, then a bounded number side by side, answers in order."""

from __future__ import annotations

import threading
import time

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.in_flight import map_in_flight


class Recorder:
    def __init__(self, delays=None, fail=(), together=None):
        self.lock = threading.Lock()
        # A barrier every call but the first waits at: it only opens when that many run at once.
        self.together = together
        self.running = 0
        self.most = 0
        self.events = []
        self.delays = delays or {}
        self.fail = set(fail)

    def __call__(self, item):
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.events.append(('start', item))
        if self.together is not None and item != 0:
            self.together.wait()
        time.sleep(self.delays.get(item, 0.02))
        with self.lock:
            self.running -= 1
            self.events.append(('end', item))
        if item in self.fail:
            raise ValueError('item %s failed' % item)
        return item * 10


def test_answers_come_in_item_order_whatever_order_they_end_in():
    record = Recorder(delays={1: 0.08, 2: 0.01, 3: 0.05, 4: 0.0})
    assert map_in_flight(record, [0, 1, 2, 3, 4, 5], 4) == [0, 10, 20, 30, 40, 50]


def test_the_first_runs_alone_then_at_most_in_flight_at_once():
    # Nine after the first, in three rounds that each need three at once to pass the barrier.
    record = Recorder(together=threading.Barrier(3, timeout=10))
    map_in_flight(record, list(range(10)), 3)
    assert record.events[:2] == [('start', 0), ('end', 0)]
    assert record.most == 3


def test_one_at_a_time_when_in_flight_is_one():
    record = Recorder()
    assert map_in_flight(record, [1, 2, 3], 1) == [10, 20, 30]
    assert record.most == 1 and record.events == [(kind, item) for item in (1, 2, 3) for kind in ('start', 'end')]


def test_every_call_runs_then_the_first_failure_in_order_is_raised():
    record = Recorder(delays={2: 0.08, 4: 0.0}, fail={2, 4})
    with pytest.raises(ValueError, match='item 2 failed'):
        map_in_flight(record, [0, 1, 2, 3, 4, 5], 4)
    assert sorted(item for kind, item in record.events if kind == 'end') == [0, 1, 2, 3, 4, 5]


def test_nothing_else_is_sent_when_the_first_fails():
    record = Recorder(fail={0})
    with pytest.raises(ValueError, match='item 0 failed'):
        map_in_flight(record, [0, 1, 2], 4)
    assert record.events == [('start', 0), ('end', 0)]
