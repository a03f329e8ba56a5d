# -*- coding: utf-8 -*-
# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:

    # The options of every module that acts on many jobs. Argument spec and limits:
    # plugins/module_utils/_engine/options.py.
    DOCUMENTATION = r'''
options:
  wait:
    description:
      - Wait until every job acted on reaches the state the task asks for, and until busy jobs settle.
      - With V(false), the module returns once its requests are accepted, reporting each such job with the
        status its request leads to next; a job busy with another operation is reported as failed, unless the
        module's description says otherwise (M(huaweicloud.cloud.drs_job_state) counts a job that is already
        starting as on its way to running).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait in total. Jobs that did not reach the state asked for by then are reported
        as failed, with their last status.
    type: int
    default: 1800
  batch_size:
    description:
      - How many jobs one action request carries (1 to 1000); larger lists are split.
      - The API documents no limit for these requests; 100 mirrors its largest documented page size.
    type: int
    default: 100
  poll_interval:
    description:
      - Seconds between status polls (more than 0, at most 30). After three minutes without a new request,
        each wait is half as long again as the one before, up to 30 seconds, so a long wait costs few requests.
      - Lower it only in tests against a local emulator.
    type: float
    default: 10
'''
