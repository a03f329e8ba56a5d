"""Local emulator of the Huawei Cloud DRS v3 and IAM APIs used by huaweicloud.cloud.

Test-only code: it is excluded from the built collection and shares nothing with ``plugins/``.
See README.md in this folder for how to run it and its control API.
"""

from emulator.server import Emulator

__all__ = ["Emulator"]
