# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Finding the job drs_job manages, by ID or by name (internal use only; reads only).

Names are unique in a project, compared in any case, but the list API's ``name`` filter is not
documented to compare that way (docs/api_notes.md#creating-and-configuring-a-job): the filtered
list is searched first (one request for the usual case), and the whole list only when the API
says a name is taken that the filtered list did not show. The list gives the engine and network
types, batch-detail the configuration; the job is their merge.
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import job_facts, read_status_item
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.config import current_config
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.options import DB_USE_TYPES
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.plan import JobView


def find_job(client, name=None, job_id=None, db_use_type=None):
    """The job's merged item (list + batch-detail), or None when there is none; by ``job_id`` when
    given, else by ``name`` among the jobs of ``db_use_type`` (all kinds when None)."""
    if job_id is not None:
        return _with_list_fields(client, _detail(client, job_id))
    return find_by_name(client, name, [db_use_type] if db_use_type else DB_USE_TYPES, filtered=True)


def find_by_name(client, name, db_use_types=DB_USE_TYPES, filtered=False):
    """The job named ``name`` in any case: through the list's name filter (``filtered``) or the
    whole list of each kind."""
    listed = _listed(client, name, db_use_types, filtered)
    if listed is None:
        return None
    detail = _detail(client, listed['id'])
    return merge(listed, detail) if detail is not None else None


def find_id(client, name, db_use_type=None):
    """The ID of the job named ``name`` (list requests only), or None."""
    listed = _listed(client, name, [db_use_type] if db_use_type else DB_USE_TYPES, filtered=True)
    return listed['id'] if listed else None


def _listed(client, name, db_use_types, filtered):
    for db_use_type in db_use_types:
        listed = client.list_jobs(db_use_type=db_use_type, name=name if filtered else None)
        matches = [job for job in listed if str(job.get('name') or '').lower() == name.lower()]
        if len(matches) > 1:
            raise HuaweiCloudError('several jobs are named %s in any case (%s); give job_id instead of name'
                                   % (name, ', '.join(str(job.get('id')) for job in matches)))
        if matches:
            return matches[0]
    return None


def _detail(client, job_id):
    """The job's batch-detail item, None when it does not exist (any more)."""
    items = client.read_jobs([job_id])
    item = items[0] if items else None
    status, error_code, error_msg = read_status_item(item)
    if status is None and (error_code or error_msg):
        raise HuaweiCloudError('Could not read the job %s: %s' % (
            job_id, ' '.join(part for part in (error_code, error_msg) if part)), error_code=error_code)
    return item if status else None


def _with_list_fields(client, detail):
    """batch-detail may lack the engine and network types: the list API has them."""
    known = detail is None or (detail.get('net_type') and (detail.get('inst_info') or {}).get('engine_type'))
    if known or not detail.get('db_use_type'):
        return detail
    listed = client.list_jobs(db_use_type=detail.get('db_use_type'), name=detail['id'])
    same = [job for job in listed if job.get('id') == detail['id']]
    return merge(same[0] if same else {}, detail)


def merge(listed, detail):
    """The list item overlaid with the batch-detail item (read last, and the complete one)."""
    item = dict(listed or {})
    item.update((key, value) for key, value in detail.items() if value is not None)
    return item


def view_of(item):
    """The JobView of a merged item (None: no job)."""
    if item is None:
        return None
    started = str((item.get('inst_info') or {}).get('start_time') or '')
    return JobView(item['id'], item.get('name'), item.get('status'), current_config(item),
                   scheduled_start=int(started) if started.isdigit() and int(started) > 0 else None,
                   error=(item.get('error_code') or None, item.get('error_message') or item.get('error_msg')),
                   facts=job_facts(item))
