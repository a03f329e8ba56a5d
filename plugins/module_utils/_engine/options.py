# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The options of every module that runs a batch (internal use only): argspec, limits, checks.

Written once, as kubernetes.core's ``args_common.WAIT_ARG_SPEC`` is, and documented once in the
``huaweicloud.cloud.batch`` doc fragment. ``max_concurrent_requests`` is a connection option: the
read-only drs_job_info takes it too.
"""

from __future__ import annotations

MIN_BATCH_SIZE, MAX_BATCH_SIZE = 1, 1000
MAX_POLL_INTERVAL = 30
DEFAULT_POLL_INTERVAL = 10
DEFAULT_WAIT_TIMEOUT = 1800

BATCH_ARGSPEC = dict(
    wait=dict(type='bool', default=True),
    wait_timeout=dict(type='int', default=DEFAULT_WAIT_TIMEOUT),
    batch_size=dict(type='int', default=100),
    poll_interval=dict(type='float', default=DEFAULT_POLL_INTERVAL),
)


def batch_problems(params):
    """Messages for batch option values that the argspec alone cannot reject."""
    problems = []
    if not MIN_BATCH_SIZE <= params['batch_size'] <= MAX_BATCH_SIZE:
        problems.append('batch_size must be between %d and %d, got %r'
                        % (MIN_BATCH_SIZE, MAX_BATCH_SIZE, params['batch_size']))
    if not 0 < params['poll_interval'] <= MAX_POLL_INTERVAL:
        problems.append('poll_interval must be greater than 0 and at most %d seconds, got %r'
                        % (MAX_POLL_INTERVAL, params['poll_interval']))
    if params['wait_timeout'] < 1:
        problems.append('wait_timeout must be at least 1 second, got %r' % params['wait_timeout'])
    return problems
