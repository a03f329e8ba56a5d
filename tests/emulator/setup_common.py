"""What the job-setup calls share: refusing an item for the job's state, a problem's message."""

from emulator.drs import refusal_for_any_request
from emulator.errors import message
from emulator.setup_states import accepts


def refusal(core, endpoint, job, job_id, operation):
    """Why a setup call is refused for this job, or None: unknown or deleted, busy, a parent task
    (the API reference: "the parent task cannot call the API"), or a status that does not accept
    ``operation`` (setup_states)."""
    code = refusal_for_any_request(core, endpoint, job, job_id)
    if code:
        return code
    if job.children:
        return "DRS.M00307"
    if not accepts(operation, job.status):
        return "DRS.M00304"
    return None


def problem_text(code, parameter):
    """The message of a ``(code, parameter)`` problem from job_rules."""
    return message(code, parameter) if parameter is not None else message(code)
