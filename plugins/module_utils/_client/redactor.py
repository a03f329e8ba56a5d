# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The secrets of one run, and the text with them masked (internal use only).

Built first, from the secret options, and handed to both the transport (which masks every text
from the server) and the authenticator (which learns the IAM tokens it is issued), so neither is
patched in after the other exists. ``on_secret`` hears every secret at once, so the module can
tell Ansible to mask it in any output.
"""

from __future__ import annotations

import threading

MASK = '********'


class Redactor:
    """Knows the run's secrets; ``redact`` masks them in a text."""

    def __init__(self, secrets=(), on_secret=None):
        self._on_secret = on_secret or (lambda value: None)
        self._secrets = set()
        # Pages in flight may learn and mask at once.
        self._lock = threading.Lock()
        for value in secrets:
            self.learn(value)

    def learn(self, value):
        if not value:
            return
        with self._lock:
            self._secrets.add(value)
        self._on_secret(value)

    def redact(self, text):
        if not text:
            return text
        text = str(text)
        with self._lock:
            secrets = list(self._secrets)
        for secret in secrets:
            text = text.replace(secret, MASK)
        return text
