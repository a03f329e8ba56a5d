# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading batch-precheck-result: done at 100%, passed without a FAILED item, alarms reported."""

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.precheck import (
    failure_text,
    precheck_item,
    read_precheck,
)

JOB = 'a1b2c3d4-0000-4000-8000-000000000jb1'


def test_a_running_precheck_is_not_finished_even_when_every_item_so_far_passed():
    precheck = read_precheck({'precheck_id': JOB, 'process': '40%', 'result': False, 'total_passed_rate': '40%',
                              'precheck_result': [{'item': 'srcDbConnection', 'result': 'PASSED'}]})
    assert (precheck.finished, precheck.passed) == (False, False)


def test_a_finished_precheck_with_only_alarms_passes_and_reports_them():
    precheck = read_precheck({'precheck_id': JOB, 'process': '100%', 'result': True, 'total_passed_rate': '100%',
                              'precheck_result': [
                                  {'item': 'srcDbConnection', 'result': 'PASSED'},
                                  {'item': 'dstDbDiskSize', 'result': 'ALARM', 'failed_reason': 'disk 85% full'}]})
    assert precheck.passed
    assert precheck.view() == {'passed': True, 'process': '100%', 'total_passed_rate': '100%', 'findings': [
        {'item': 'dstDbDiskSize', 'result': 'ALARM', 'reason': 'disk 85% full'}]}


def test_a_failed_item_fails_the_precheck_and_names_itself():
    precheck = read_precheck({'precheck_id': JOB, 'process': '100%', 'result': False, 'total_passed_rate': '91%',
                              'precheck_result': [
                                  {'item': 'srcBinlogFormatCheck', 'result': 'FAILED', 'failed_reason': 'STATEMENT'},
                                  {'item': 'dstDbDiskSize', 'result': 'ALARM', 'raw_error_msg': 'low disk'}]})
    assert precheck.finished and not precheck.passed
    assert failure_text(precheck) == 'srcBinlogFormatCheck (STATEMENT)'
    assert [item['reason'] for item in precheck.findings] == ['STATEMENT', 'low disk']


def test_without_result_the_passed_rate_decides_as_terraform_reads_it():
    assert read_precheck({'process': '100%', 'total_passed_rate': '100%'}).passed
    assert not read_precheck({'process': '100%', 'total_passed_rate': '90%'}).passed


def test_an_error_item_and_a_missing_item_are_errors():
    error = read_precheck({'precheck_id': JOB, 'error_code': 'DRS.M00304', 'error_msg': 'never prechecked'})
    assert (error.error_code, error.error_msg, error.finished) == ('DRS.M00304', 'never prechecked', False)
    assert read_precheck(None).error_msg == 'the answer held no precheck result for this job'


def test_the_item_is_found_by_the_job_id_else_it_is_the_only_item_of_the_answer():
    mine, other = {'precheck_id': JOB, 'process': '10%'}, {'precheck_id': 'precheck-task-7', 'process': '20%'}
    assert precheck_item([other, mine], JOB) is mine
    assert precheck_item([other], JOB) is other
    assert precheck_item([other, dict(other, process='30%')], JOB) is None
    assert precheck_item([], JOB) is None
