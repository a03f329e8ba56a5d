# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading what one job's comparisons are and what a finished one found (internal use only).

The I/O half of ``compare_verdict``, through ``_client.compare_api`` (the one file of ``_drs`` that
sends requests): the fewest reads that decide it. A consistent data comparison costs
its overview alone; a database that is not plainly consistent adds one page of its tables (and
of the tables it could not compare), a value comparison one content-difference per differing
table named (at most ``compare_verdict.MAX_NAMED``); an object comparison its overview, plus one page per
object type that differs. Used by drs_compare, drs_job_info (``latest_reports``) and drs_batch_jobs'
final comparison.
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.compare_api import (
    CONTENTS,
    MAX_LIMIT,
    OBJECTS,
    ROWS,
    CompareApi,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs import compare_verdict as _verdict
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.comparisons import (
    DATA_LEVEL,
    from_data_item,
    from_object_overview,
    newest,
)


class Listing:
    """A job's comparisons as listed: data level (every one) and object level (the latest), each read
    only when asked for; ``object_overview`` keeps the latest object comparison's results."""

    def __init__(self, comparisons, object_overview=None):
        self.comparisons = comparisons
        self.object_overview = object_overview or {}


def read_listing(api, job_id, kinds):
    """The job's comparisons of the levels ``kinds`` need (one request per level)."""
    comparisons, overview = [], None
    if any(kind in DATA_LEVEL for kind in kinds):
        comparisons = [from_data_item(item) for item in api.data_comparisons(job_id)]
    if OBJECTS in kinds:
        overview = api.object_overview(job_id)
        latest = from_object_overview(overview)
        if latest is not None:
            comparisons.append(latest)
    return Listing(comparisons, overview)


def read_verdict(api, job_id, comparison, listing=None):
    """The verdict of a judgeable ``comparison`` of the job (``listing``: where its object overview
    was already read)."""
    if comparison.kind == OBJECTS:
        overview = listing.object_overview if listing is not None else {}
        if overview.get('compare_job_id') != comparison.id:
            overview = api.object_overview(job_id)
        details = dict((object_type, api.objects(job_id, comparison.id, object_type))
                       for object_type in _verdict.object_reads(overview))
        return _verdict.object_verdict(comparison, overview, details)
    overview = api.overview(job_id, comparison.id, comparison.kind)
    details = {}
    for db, uncompared in _verdict.detail_reads(comparison.kind, overview):
        # The tables compared: one full page, to find the ones that differ among most databases'
        # tables; those not compared: as many as a report names.
        limit = _verdict.MAX_NAMED if uncompared else MAX_LIMIT
        details[(db, uncompared)] = api.tables(job_id, comparison.id, comparison.kind, db, uncompared, limit)
    differences = dict(((db, table), api.differences(job_id, comparison.id, db, table))
                       for db, table in _verdict.difference_reads(comparison.kind, details))
    return _verdict.data_verdict(comparison, overview, details, differences)


def latest_reports(api, job_id):
    """The latest comparison of each type the job has (rows, contents, objects), each with its verdict
    once it can be judged (``compare_verdict.report``)."""
    listing = read_listing(api, job_id, (ROWS, CONTENTS, OBJECTS))
    reports = []
    for kind in (ROWS, CONTENTS, OBJECTS):
        latest = newest(listing.comparisons, (kind,))
        if latest is not None:
            found = read_verdict(api, job_id, latest, listing) if latest.judgeable else None
            reports.append(_verdict.report(latest, found))
    return reports


def add_latest_reports(client, jobs):
    """Set each job's ``comparisons`` (``latest_reports``; None when its reads failed), a few jobs in
    flight; returns the failures as ``[{id, error_code, error_message}]``."""
    api = CompareApi(client)
    errors = []
    for job, (error, reports) in zip(jobs, api.per_job(lambda job: latest_reports(api, job['id']), jobs)):
        job['comparisons'] = reports
        if error is not None:
            errors.append(dict(id=job['id'], error_code=error.error_code,
                               error_message='could not read its comparisons: %s' % error))
    return errors
