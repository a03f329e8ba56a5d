"""Error codes and messages the emulator answers with (drs-api.md §7 and §11)."""

MESSAGES = {
    "DRS.M00004": "Service is abnormal. Check logs.",
    "DRS.M00007": "Invalid request parameter.",
    "DRS.M00200": "Parameter error.",
    "DRS.M00201": "The parameter %s is empty.",
    "DRS.M00202": "The value of parameter %s is invalid.",
    "DRS.M00210": "The value of Page is invalid, %s",
    "DRS.M00211": "The value of Page exceeds the upper limit.",
    "DRS.M00261": "Invalid project ID.",
    "DRS.M00269": "The tag key must be unique.",
    "DRS.M00270": "The tag key or value exceeds the maximum length allowed.",
    "DRS.M00271": "The maximum number of tags has been reached.",
    "DRS.M00277": "The task name already exists.",
    "DRS.M00289": "The job does not exist.",
    "DRS.M00300": "Invalid request, %s",
    "DRS.M00301": "There are duplicate %s in request.",
    "DRS.M00304": "This API cannot be called in the current task status.",
    "DRS.M00306": "Start time cannot be the same as end time.",
    "DRS.M00307": "Only subtasks can invoke this interface.",
    "DRS.M00403": "This task does not support flow control.",
    "DRS.M01503": "Operation too frequent. Try again later.",
    "DRS.M01504": ("Another operation is being performed on the migration task or the migration "
                   "task is abnormal. Try again later."),
    "DRS.M05003": "Task information not found.",
    "DRS.M05004": "The task has been deleted or the resource has been released.",
    "DRS.M05066": "Failed to create instance!",
    "DRS.KE0002": "The username or password is incorrect.",
    "DRS.10000001": "Failed.",
    "DRS.10000010": "Job does not exist, please check job ID.",
    "DRS.10000024": ("Another operation is being performed on the migration task or the migration task is "
                     "abnormal."),
    "APIG.0201": "Backend unavailable",
    "APIG.0301": "Incorrect IAM authentication information: %s",
    "APIG.0308": "The throttling threshold has been reached: policy user over ratelimit,limit:%s,time:1 second",
    "APIGW.0101": "The API does not exist or has not been published in the environment.",
    "IAM.0004": "The username or password is wrong.",
    "IAM.0007": "The request you have made requires authentication.",
}


def message(code, *args):
    text = MESSAGES[code]
    return text % args if args else text


class ApiError(Exception):
    """A whole-request error: HTTP ``status`` with a top-level ``{"error_code","error_msg"}`` body.

    ``body`` replaces that shape when the API answers an error status with another body
    (batch-detail's 400 with a results list).  ``gateway`` errors carry ``request_id`` too.
    """

    def __init__(self, status, code, *args, body=None, gateway=False, headers=None):
        super().__init__(code)
        self.status = status
        self.code = code
        self.msg = message(code, *args) if code in MESSAGES else (args[0] if args else code)
        self.body = body
        self.gateway = gateway
        self.headers = headers or {}

    def payload(self, request_id):
        if self.body is not None:
            return self.body
        payload = {"error_code": self.code, "error_msg": self.msg}
        if self.gateway:
            payload["request_id"] = request_id
        return payload


def apig_auth_error(reason):
    return ApiError(401, "APIG.0301", reason, gateway=True)
