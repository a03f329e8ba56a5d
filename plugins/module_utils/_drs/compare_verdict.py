# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a comparison's results mean: judging it from what its result calls returned (internal use
only): pure, no I/O; ``compare_reads`` makes the reads.

``consistent`` is true only for a comparison that ended SUCCESSFUL (or a dynamic one whose full
pass ended) in which every database and every table compared consistent and none was left
uncompared; false as soon as one table differs (even in a comparison that then failed); null
otherwise: the data could not be certified. The integer codes are docs/api_notes.md#data-comparison.
Reports name the first MAX_NAMED tables (or objects) and count them all.
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.compare_api import ROWS
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.comparisons import (
    INCRE_DOING,
    OPTION_OF,
    SUCCESSFUL,
)

MAX_NAMED = 10
CONSISTENT_CODES = frozenset([2, 10])
DIFFERENT_CODES = frozenset([0, 3, 8, 9, 11, 12, 13, 20, 21, 22])
CODE_MEANINGS = {
    0: 'inconsistent', 2: 'consistent', 3: 'missing on the target', 4: 'comparison failed', 5: 'still comparing',
    6: 'still waiting', 7: 'cancelled', 8: 'the source database is empty', 9: 'the target database is empty',
    10: 'both databases are empty', 11: 'missing on the source', 12: 'missing on the target',
    13: 'missing on both sides', 14: 'the source database connection failed',
    15: 'the target database connection failed', 16: 'an SQL statement timed out on the source',
    17: 'an SQL statement timed out on the target', 18: 'an SQL statement failed on the source',
    19: 'an SQL statement failed on the target', 20: 'both databases are missing',
    21: 'the source database is missing', 22: 'the target database is missing',
    23: '100 million rows or more, not compared', 27: 'timed out',
}
# content-detail's own per-table status (assumption: 1 comparing, 2 done, 3 waiting, 4 cancelled).
CONTENT_DONE = 2
CONTENT_PHASES = {1: 'still comparing', 3: 'still waiting', 4: 'cancelled, failed or timed out'}
OBJECT_CONSISTENT, OBJECT_INCONSISTENT = 2, 0


def meaning(code):
    return CODE_MEANINGS.get(code, 'status %s' % code)


def database(kind, item):
    """An overview item in one shape: {db, target_db, status, compare_num, compare_end_num, inconsistent,
    uncompared}."""
    names = ('source_db_name', 'target_db_name') if kind == ROWS else ('source_db', 'target_db')
    return dict(db=item.get(names[0]), target_db=item.get(names[1]), status=_int(item.get('status')),
                compare_num=_int(item.get('compare_num')) or 0, compare_end_num=_int(item.get('compare_end_num')) or 0,
                inconsistent=_int(item.get('data_inconsistent_num')) or 0,
                uncompared=_int(item.get('uncomparable_num')) or 0)


def detail_reads(kind, overview):
    """The detail lists worth reading: [(db, uncompared)] for every database that is not plainly consistent."""
    reads = []
    for item in (database(kind, item) for item in overview):
        unsettled = item['status'] not in CONSISTENT_CODES or item['compare_end_num'] < item['compare_num']
        if unsettled or item['inconsistent']:
            reads.append((item['db'], False))
        if item['uncompared']:
            reads.append((item['db'], True))
    return reads


def classify(kind, item, uncompared_list=False):
    """('consistent' | 'different' | 'uncompared', why) of one line-detail or content-detail item."""
    if uncompared_list:
        return 'uncompared', item.get('message') or meaning(_int(item.get('status')))
    status = _int(item.get('status'))
    if kind == ROWS:
        if status in CONSISTENT_CODES:
            return 'consistent', ''
        return ('different', meaning(status)) if status in DIFFERENT_CODES else ('uncompared', meaning(status))
    if status != CONTENT_DONE:
        return 'uncompared', item.get('message') or CONTENT_PHASES.get(status, 'status %s' % status)
    if item.get('content_compare_result') is False or item.get('line_compare_result') is False:
        return 'different', item.get('message') or 'values differ'
    if item.get('content_compare_result') is True:
        return 'consistent', ''
    return 'uncompared', item.get('message') or 'no result'


def table_entry(db, item, why, counts=None):
    """One table of the report, with its row counts and (values) its differing rows."""
    entry = dict(database=db, table=item.get('source_table_name'), target_table=item.get('target_table_name'),
                 source_rows=_int(item.get('source_row_num')), target_rows=_int(item.get('target_row_num')),
                 difference_rows=_int(item.get('difference_row_num')), reason=why)
    if counts:
        entry.update(difference_rows=_int(counts.get('count')), only_on_source=_int(counts.get('target_meta_is_null')),
                     only_on_target=_int(counts.get('source_meta_is_null')),
                     changed_rows=_int(counts.get('source_target_meta_not_null')))
    return entry


def difference_reads(kind, details):
    """Values: the first MAX_NAMED differing tables, [(db, table)], whose differing rows are counted."""
    if kind == ROWS:
        return []
    found = []
    for (db, uncompared_list), (items, dummy) in details.items():
        found.extend((db, item.get('source_table_name')) for item in items
                     if classify(kind, item, uncompared_list)[0] == 'different')
    return found[:MAX_NAMED]


def data_verdict(comparison, overview, details, differences=None):
    """The verdict of a data-level comparison.

    ``overview``: its overview items; ``details``: {(db, uncompared): (items, total)} as
    ``detail_reads`` asked; ``differences``: {(db, table): content-difference counts}.
    """
    kind, differences = comparison.kind, differences or {}
    databases = [database(kind, item) for item in overview]
    different, uncompared = [], []
    for (db, uncompared_list), (items, dummy) in details.items():
        for item in items:
            verdict, why = classify(kind, item, uncompared_list)
            if verdict == 'different':
                different.append(table_entry(db, item, why, differences.get((db, item.get('source_table_name')))))
            elif verdict == 'uncompared':
                uncompared.append(dict(database=db, table=item.get('source_table_name'), reason=why))
    named = set(entry['database'] for entry in different + uncompared)
    for item in databases:
        if item['db'] not in named and item['status'] in DIFFERENT_CODES:
            different.append(dict(database=item['db'], table=None, reason=meaning(item['status'])))
        elif item['db'] not in named and item['status'] not in CONSISTENT_CODES:
            uncompared.append(dict(database=item['db'], table=None, reason=meaning(item['status'])))
    inconsistent_total = max(sum(item['inconsistent'] for item in databases), len(different))
    uncompared_total = max(sum(item['uncompared'] + item['compare_num'] - item['compare_end_num']
                               for item in databases), len(uncompared))
    return _verdict(comparison, bool(databases), different, inconsistent_total, uncompared, uncompared_total,
                    'table', 'no database was compared')


def object_reads(overview):
    """The object types worth listing: those found inconsistent."""
    return [item.get('type') for item in overview.get('compare_result') or []
            if _int(item.get('status')) == OBJECT_INCONSISTENT]


def object_verdict(comparison, overview, details):
    """The verdict of an object comparison: ``overview`` the object/compare answer, ``details``
    {type: (items, total)} as ``object_reads`` asked."""
    types = [item for item in overview.get('compare_result') or [] if isinstance(item, dict)]
    different, counted = [], 0
    for item in types:
        if _int(item.get('status')) != OBJECT_INCONSISTENT:
            continue
        items = [entry for entry in details.get(item.get('type'), ([], 0))[0]
                 if _int(entry.get('status')) == OBJECT_INCONSISTENT]
        # Without a readable list, a type that differs counts at least its count difference.
        gap = abs((_int(item.get('source_count')) or 0) - (_int(item.get('target_count')) or 0))
        counted += len(items) or max(1, gap)
        different.extend(dict(type=item.get('type'), database=entry.get('source_db_name'),
                              source=entry.get('source_db_value'), target=entry.get('target_db_value'),
                              reason=entry.get('error_message') or 'differs') for entry in items)
        if not items:
            different.append(dict(type=item.get('type'), database=None, source=item.get('source_count'),
                                  target=item.get('target_count'), reason='counts differ'))
    unfinished = [dict(type=item.get('type'), reason='not compared') for item in types
                  if _int(item.get('status')) not in (OBJECT_CONSISTENT, OBJECT_INCONSISTENT)]
    return _verdict(comparison, bool(types), different, counted, unfinished, len(unfinished), 'object type',
                    'no object was compared')


def _verdict(comparison, compared_any, different, inconsistent_total, uncompared, uncompared_total, noun, nothing):
    if different or inconsistent_total:
        consistent, reason = False, None
    elif comparison.status not in (SUCCESSFUL, INCRE_DOING):
        consistent, reason = None, 'the comparison ended %s' % comparison.status
    elif uncompared or uncompared_total:
        consistent, reason = None, '%d %s%s could not be compared' % (
            uncompared_total, noun, '' if uncompared_total == 1 else 's')
    elif not compared_any:
        consistent, reason = None, nothing
    else:
        consistent, reason = True, None
    return dict(consistent=consistent, reason=reason, inconsistent_total=inconsistent_total,
                inconsistent=different[:MAX_NAMED], uncompared_total=uncompared_total,
                uncompared=uncompared[:MAX_NAMED])


def report(comparison, verdict, kind=None):
    """A comparison and its verdict (None: not judged) as the modules return them."""
    verdict = verdict or {}
    return dict(type=OPTION_OF.get(comparison.kind if comparison else kind, kind),
                id=comparison.id if comparison else None, status=comparison.status if comparison else None,
                started=comparison.started if comparison else None,
                finished=comparison.finished if comparison else None,
                consistent=verdict.get('consistent'), reason=verdict.get('reason'),
                inconsistent_total=verdict.get('inconsistent_total'),
                inconsistent_tables=verdict.get('inconsistent', []),
                uncompared_total=verdict.get('uncompared_total'), uncompared_tables=verdict.get('uncompared', []))


def describe(option, comparison_id, verdict):
    """One clause on a verdict that is not consistent, naming the first tables and the counts."""
    if verdict['consistent'] is False:
        named = '; '.join(_entry_text(entry) for entry in verdict['inconsistent'][:3])
        return 'the %s comparison %s found %d difference%s (%s)' % (
            option, comparison_id, verdict['inconsistent_total'], '' if verdict['inconsistent_total'] == 1 else 's',
            named)
    text = 'the %s comparison %s could not certify the data: %s' % (option, comparison_id, verdict['reason'])
    if verdict['uncompared']:
        text += ' (%s)' % '; '.join(_entry_text(entry) for entry in verdict['uncompared'][:3])
    return text


def _entry_text(entry):
    where = '.'.join(str(part) for part in (entry.get('type'), entry.get('database'), entry.get('table')) if part)
    counts = ''
    if entry.get('source_rows') is not None or entry.get('target_rows') is not None:
        counts = ', %s source rows, %s target rows' % (entry.get('source_rows'), entry.get('target_rows'))
    if entry.get('changed_rows'):
        counts += ', %s changed' % entry['changed_rows']
    return '%s: %s%s' % (where or 'the job', entry.get('reason'), counts)


def _int(value):
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
