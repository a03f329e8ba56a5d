# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one exception type every call to Huawei Cloud raises (internal use only).

Modules catch it once, in ``_engine.module.HuaweiCloudModule.fail_from_error``; nothing below the
module turns an error into ``fail_json``.
"""

from __future__ import annotations


class HuaweiCloudError(Exception):
    """Any failure talking to Huawei Cloud. ``str()`` is safe to show: it never holds a secret.

    ``maybe_applied`` is true when a non-idempotent request may have been processed although no
    answer arrived, so the caller must re-read the state instead of assuming either outcome.
    """

    def __init__(self, message, status=None, error_code=None, error_msg=None, request_id=None,
                 maybe_applied=False):
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        self.error_msg = error_msg
        self.request_id = request_id
        self.maybe_applied = maybe_applied

    def __str__(self):
        return self.message
