"""Value comparisons (``contents``): overview, detail (compared and not comparable), the differing
rows, paging by item offset, and dynamic comparisons."""

from compare_helpers import SHOP, created, listed, result, status_of


def _details(api, job, compare_id, **params):
    items = result(api, job, compare_id, "content-detail", **params).json()["content_compare_result_infos"]
    return {item["source_table_name"]: item for item in items}


def test_a_value_comparison_sees_changed_values_and_cannot_compare_tables_without_a_key(emulator, api):
    emulator.config(compare_duration=6)
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "data": SHOP}])[0]["id"]
    compare_id = created(api, job, "contents")
    emulator.advance(1.5)
    running = _details(api, job, compare_id)
    assert (running["orders"]["status"], running["orders"]["progress"]) == (2, 100.0)
    assert running["customers"]["status"] == 1 and 0 < running["customers"]["progress"] < 100
    assert running["archive"]["status"] == 1 and "content_compare_result" not in running["archive"]
    emulator.advance(5)
    overview = result(api, job, compare_id, "content-overview").json()
    assert overview == {"total_count": 1, "content_compare_result_infos": [{
        "source_db": "shop", "target_db": "shop", "status": 0, "compare_num": 6, "compare_end_num": 6,
        "data_inconsistent_num": 4, "uncomparable_num": 1}]}
    compared = _details(api, job, compare_id, type="compare")
    assert set(compared) == {"orders", "customers", "audit", "prices", "archive"}
    verdicts = {t: (i["line_compare_result"], i["content_compare_result"], i["difference_row_num"])
                for t, i in compared.items()}
    assert verdicts == {"orders": (True, True, 0), "customers": (False, False, 3), "audit": (False, False, 2),
                        "prices": (True, False, 0), "archive": (False, False, 5)}
    assert compared["archive"]["message"] and compared["orders"]["total_shard_count"] == 1
    (logs,) = _details(api, job, compare_id, type="unCompare").values()
    assert logs["source_table_name"] == "logs" and "primary key" in logs["message"]
    assert "content_compare_result" not in logs


def test_the_differing_rows_by_kind(emulator, api):
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "data": SHOP}])[0]["id"]
    compare_id = created(api, job, "contents")
    emulator.advance(6)

    def differences(table):
        return result(api, job, compare_id, "content-difference", db_name="shop", table_name=table).json()
    prices, customers, audit = differences("prices"), differences("customers"), differences("audit")
    assert (prices["count"], prices["source_target_meta_not_null"], prices["target_meta_is_null"]) == (4, 4, 0)
    assert all(row["source_key_value"] == row["target_key_value"] != [] for row in prices["contents_infos"])
    assert (customers["count"], customers["target_meta_is_null"]) == (3, 3)
    assert [row["source_key_value"] for row in customers["contents_infos"]] == [["98"], ["99"], ["100"]]
    assert all(row["target_key_value"] == [] for row in customers["contents_infos"])
    assert (audit["count"], audit["source_meta_is_null"]) == (2, 2)
    row = audit["contents_infos"][0]
    assert row["source_key_value"] == [] and row["target_key_value"] == ["51"]
    assert row["select_sql"] == "select * from `shop`.`audit` where `id` = '51'" and row["target_select_sql"]
    everything = result(api, job, compare_id, "content-difference").json()
    assert everything["count"] == 4 + 3 + 2 == len(everything["contents_infos"])


def test_paging_is_by_item_offset_across_tables(emulator, api):
    tables = {"t%02d" % n: {"rows": 10, "target_rows": 10 - n % 3} for n in range(25)}
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "data": {"databases": {"db": {"tables": tables}}}}])
    job = job[0]["id"]
    lines = created(api, job)
    emulator.advance(6)
    contents = created(api, job, "contents")
    emulator.advance(6)
    page = result(api, job, lines, "line-detail", limit=10, offset=20).json()
    assert page["total_count"] == 25
    assert [i["source_table_name"] for i in page["table_line_compare_result_infos"]] == [
        "t%02d" % n for n in range(20, 25)]
    assert result(api, job, lines, "line-detail", offset=30).json()["table_line_compare_result_infos"] == []
    differing = result(api, job, contents, "content-difference").json()
    assert differing["count"] == sum(n % 3 for n in range(25)) == len(differing["contents_infos"])
    window = result(api, job, contents, "content-difference", limit=5, offset=2).json()
    assert window["count"] == differing["count"] and window["contents_infos"] == differing["contents_infos"][2:7]
    for bad in ({"limit": 0}, {"limit": 1001}, {"offset": -1}, {"limit": "ten"}):
        answer = result(api, job, lines, "line-detail", **bad)
        assert answer.status_code == 400 and answer.json()["error_code"] == "DRS.M00202"
        assert answer.json()["error_msg"] == "The value of parameter %s is invalid." % next(iter(bad))
    assert listed(api, job, limit=1, offset=1)["count"] == 2
    assert [c["id"] for c in listed(api, job, limit=1, offset=1)["compare_jobs"]] == [lines]  # newest first


def test_a_dynamic_value_comparison_keeps_verifying_until_cancelled(emulator, api):
    emulator.config(compare_duration=4)
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED"}])[0]["id"]
    compare_id = created(api, job, "contents", options={"contentCompareType": "dynamic", "lobCompare": "length"})
    assert status_of(api, job, compare_id) == "FULL_DOING"
    emulator.advance(5)
    assert status_of(api, job, compare_id) == "INCRE_DOING"
    (view,) = listed(api, job)["compare_jobs"]
    assert view["options"] == {"contentCompareType": "dynamic", "lobCompare": "length"} and "end_time" not in view
    assert result(api, job, compare_id, "content-overview").json()["content_compare_result_infos"][0]["status"] == 2
    assert api.call("DELETE", "/v3/{pid}/jobs/%s/compare/%s" % (job, compare_id)).status_code == 200
    assert status_of(api, job, compare_id) == "CANCELLED"


def test_random_sampling_only_on_its_links_and_the_policy_tag(emulator, api):
    gauss, mysql = [job["id"] for job in emulator.seed([
        {"status": "INCRE_TRANSFER_STARTED", "engine_type": "gaussdbv5"}, {"status": "INCRE_TRANSFER_STARTED"}])]
    sample = created(api, gauss, "random", proportion_value=10.5)
    (view,) = listed(api, gauss)["compare_jobs"]
    assert (view["id"], view["type"], view["proportion_value"]) == (sample, "random", "10.5")
    emulator.advance(6)
    assert result(api, gauss, sample, "content-overview").json()["content_compare_result_infos"][0]["status"] == 2
    refused = api.call("POST", "/v3/{pid}/jobs/%s/table/compare" % mysql,
                       {"type": "random", "compare_mode": "quick_comparison"})
    assert refused.status_code == 400 and refused.json()["error_code"] == "DRS.M00202"
    created(api, mysql, "lines", options={"comparePolicy": "manyToOne"})
    assert listed(api, mysql)["compare_jobs"][0]["compare_job_tag"] == {"comparePolicy": "manyToOne"}
