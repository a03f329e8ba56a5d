"""Which job statuses accept each job-setup call: the one table the setup routes consult
(``setup_common.refusal``, and ``lifecycle.batch_starting`` for a start).

From the API reference: the connection tests, the configuration (endpoints and the rest, through
batch-modification), the object selection and a ``forStartJob`` precheck need CONFIGURATION.
(U): a ``forRetryJob`` precheck needs FULL_TRANSFER_FAILED, INCRE_TRANSFER_FAILED or
INCRE_TRANSFER_STARTED; a start also takes a job WAITING_FOR_START (a new start time, or now);
a speed limit can be changed in CONFIGURATION, WAITING_FOR_START and the transfer states
(started, complete, failed, paused); name, description, notifications and tags in every status
but the released ones. Any other status is refused with DRS.M00304.
"""

from emulator.states import ALL_STATUSES, RELEASED

CONFIGURING = frozenset(("CONFIGURATION",))

ACCEPTED_IN = {
    "connection-test": CONFIGURING,
    "configuration": CONFIGURING,
    "details": ALL_STATUSES - RELEASED,
    "object-selection": CONFIGURING,
    "start-precheck": CONFIGURING,
    "retry-precheck": frozenset(("FULL_TRANSFER_FAILED", "INCRE_TRANSFER_FAILED", "INCRE_TRANSFER_STARTED")),
    "start": frozenset(("CONFIGURATION", "WAITING_FOR_START")),
    "speed-limit": frozenset((
        "CONFIGURATION", "WAITING_FOR_START", "FULL_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE",
        "FULL_TRANSFER_FAILED", "INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_FAILED", "PAUSING")),
}

# batch-precheck's precheck_mode -> the operation above
PRECHECK_OPERATIONS = {"forStartJob": "start-precheck", "forRetryJob": "retry-precheck"}


def accepts(operation, status):
    """True when a job in ``status`` accepts ``operation`` (a key of ACCEPTED_IN)."""
    return status in ACCEPTED_IN[operation]
