"""Raw-HTTP helpers shared by the comparison tests."""

# One database whose tables hold every kind of difference the data model knows.
SHOP = {"databases": {"shop": {"tables": {
    "orders": {"rows": 500},                        # the same on both sides
    "customers": {"rows": 100, "target_rows": 97},  # 3 rows missing on the target
    "audit": {"rows": 50, "target_rows": 52},       # 2 extra rows on the target
    "prices": {"rows": 40, "differences": 4},       # 4 rows with other values: only a value comparison sees them
    "logs": {"rows": 10, "primary_key": False},     # no primary key: values cannot be compared
    "archive": {"rows": 5, "missing_on_target": True},
}}}}


def path(job_id, tail):
    return "/v3/{pid}/jobs/%s/%s" % (job_id, tail)


def create(api, job_id, kind="lines", **body):
    """POST table/compare (the whole job unless objects are named)."""
    if "compare_object" not in body:
        body.setdefault("compare_mode", "quick_comparison")
    return api.call("POST", path(job_id, "table/compare"), dict(body, type=kind))


def created(api, job_id, kind="lines", **body):
    answer = create(api, job_id, kind, **body)
    assert answer.status_code == 200, answer.text
    return answer.json()["id"]


def result(api, job_id, compare_id, what, **params):
    """GET compare/{id}/<what> (line-overview, line-detail, content-*)."""
    return api.call("GET", path(job_id, "compare/%s/%s" % (compare_id, what)), params=params)


def listed(api, job_id, **params):
    answer = api.call("GET", path(job_id, "table/compare"), params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def status_of(api, job_id, compare_id):
    return next(c["status"] for c in listed(api, job_id)["compare_jobs"] if c["id"] == compare_id)


def line_statuses(api, job_id, compare_id, **params):
    """{table: (status, source rows, target rows, difference)} of line-detail."""
    items = result(api, job_id, compare_id, "line-detail", **params).json()["table_line_compare_result_infos"]
    return {item["source_table_name"]: (item["status"], item.get("source_row_num"), item.get("target_row_num"),
                                        item.get("difference_row_num")) for item in items}


def refused(answer, status, code):
    """True when the answer is the API error ``code`` with HTTP ``status`` and a message."""
    body = answer.json()
    return answer.status_code == status and body["error_code"] == code and bool(body["error_msg"])
