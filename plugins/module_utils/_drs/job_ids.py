# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The ``job_ids`` option every module takes: checked before any request (internal use only)."""

from __future__ import annotations

import re

_ID_PUNCTUATION = frozenset('-_.')
# Every character an ID may hold, in one pass: the common case, checked first (10,000 IDs in
# milliseconds; the checks below only run to word the message for an ID that fails).
_PLAIN_ID = re.compile(r'[A-Za-z0-9._-]+')


# What a module does with an ID the service does not know: warn (and go on) or fail that job.
ON_MISSING_CHOICES = ('warn', 'fail')
ON_MISSING_DEFAULT = 'warn'
ON_MISSING_ARGSPEC = dict(on_missing=dict(type='str', default=ON_MISSING_DEFAULT, choices=list(ON_MISSING_CHOICES)))

# What separates the IDs of one string: Ansible splits a string option on commas only, and an AWX
# survey's textarea gives one ID per line.
_SEPARATORS = re.compile(r'[,\r\n]')


def validate_job_ids(value):
    """Fold duplicates (order kept) and check each ID; returns (ids, error message or None).

    A string item is split on commas and line breaks and each part trimmed, and blank parts are
    dropped (so ``""`` is no job at all, and a textarea's trailing newline does no harm).
    DRS IDs are UUID-shaped but not hex-only (``...cb2c668jb201``), so the check is loose: it
    rejects only what never appears in an ID and usually comes from a templating mistake, such
    as a list rendered into a string (``['4c6ac8c0-...']``).
    """
    if not isinstance(value, list):
        return None, 'job_ids must be a list of job IDs, got %s' % type(value).__name__
    ids = []
    seen = set()
    for index, item in enumerate(value):
        for part in _parts(item):
            problem = _job_id_problem(part)
            if problem:
                shown = repr(item) if part is item else '%r in %r' % (part, item)
                return None, 'job_ids[%d] (%s) is not a valid job ID: %s' % (index, shown, problem)
            if part not in seen:
                seen.add(part)
                ids.append(part)
    return ids, None


def _parts(item):
    """The IDs an item holds: itself, or for a string with separators or padding, its trimmed parts.
    A dict or list rendered as text is kept whole, so that its message says what it is."""
    if not isinstance(item, str) or _PLAIN_ID.fullmatch(item) or _rendered(item.strip()):
        return [item]
    return [part.strip() for part in _SEPARATORS.split(item) if part.strip()]


def _rendered(item):
    """A dict or list rendered into a string, for example from a registered result."""
    return len(item) >= 2 and item[0] in '{[' and item[-1] in '}]'


def _job_id_problem(item):
    if not isinstance(item, str):
        return 'it must be a string'
    if _PLAIN_ID.fullmatch(item):
        return None
    if _rendered(item.strip()):
        kind = 'dict' if item.strip()[0] == '{' else 'list'
        return ('it is a %s rendered as text, not an ID: pass the IDs themselves, for example '
                'job_ids: "{{ jobs | map(attribute=\'id\') | list }}"' % kind)
    if any(char.isspace() for char in item):
        return 'it contains whitespace'
    if '/' in item:
        return "it contains '/'"
    odd = [char for char in item if not (char.isascii() and char.isalnum()) and char not in _ID_PUNCTUATION]
    if odd:
        return 'it contains %r; job IDs hold only letters, digits, "-", "_" and "."' % odd[0]
    return None
