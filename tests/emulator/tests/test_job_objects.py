"""batch-select-objects over raw HTTP, against the default and a seeded source catalogue."""

from setup_flow import SOURCE, configured_job, created_job, item_codes, select


def _database(name, select_value="true"):
    return {"id": name, "parent_id": None, "object_name": name, "object_type": "database",
            "select": select_value, "object_alias_name": None}


def _table(database, name):
    return {"id": "%s-*-*-%s" % (database, name), "parent_id": database, "object_name": name,
            "object_type": "table", "select": "true"}


def test_whole_databases_and_tables_of_the_default_catalogue(emulator, api):
    job_id = configured_job(api, emulator)
    answer = select(api, job_id, [_database("hr"), _database("shop", "partial"), _table("shop", "orders")])
    assert answer.status_code == 202
    assert answer.json() == {"all_counts": 1, "results": [{"job_id": job_id, "status": True}]}
    detail = api.detail([job_id]).json()["results"][0]
    assert detail["object_switch"] is True
    assert detail["object_infos"] == [
        {"id": "hr", "type": "database", "name": "hr"}, {"id": "shop", "type": "database", "name": "shop"},
        {"id": "shop-*-*-orders", "parent_id": "shop", "type": "table", "name": "orders"}]
    everything = select(api, job_id, [], selected=False)
    assert everything.json()["results"][0]["status"] is True
    detail = api.detail([job_id]).json()["results"][0]
    assert detail["object_switch"] is False and "object_infos" not in detail


def test_objects_the_seeded_source_does_not_hold_are_refused(emulator, api):
    emulator.databases([{"ip": SOURCE["ip"], "catalogue": {"sales": ["invoices", "payments"]}}])
    job_id = configured_job(api, emulator)
    for objects, named in (([_database("shop")], "shop"),
                           ([_database("sales", "partial"), _table("sales", "orders")], "sales-*-*-orders"),
                           ([_database("sales", "partial")], "partial without a selected table")):
        refused = select(api, job_id, objects).json()["results"][0]
        assert (refused["status"], refused["error_code"]) == (False, "DRS.M00202")
        assert named in refused["error_msg"]
    assert api.detail([job_id]).json()["results"][0]["object_switch"] is False
    chosen = select(api, job_id, [_database("sales", "partial"), _table("sales", "payments")])
    assert item_codes(chosen) == [None]


def test_selection_needs_a_configured_migration_or_sync_job(emulator, api):
    not_modified = created_job(api, emulator, "early-job")
    dr_job, running = [job["id"] for job in emulator.seed([
        {"status": "CONFIGURATION", "db_use_type": "cloudDataGuard"}, {"status": "FULL_TRANSFER_STARTED"}])]
    for job_id in (not_modified, dr_job, running):
        assert item_codes(select(api, job_id, [_database("hr")])) == ["DRS.M00304"]


def test_request_rules(emulator, api):
    job_id = configured_job(api, emulator)
    for body, code in (({"jobs": []}, "DRS.M00201"),
                       ({"jobs": [{"job_id": job_id, "selected": True, "job": []}]}, "DRS.M00201"),
                       ({"jobs": [{"job_id": job_id, "selected": "yes", "job": []}]}, "DRS.M00202"),
                       ({"jobs": [{"job_id": job_id, "selected": False}] * 2}, "DRS.M00301")):
        answer = api.call("PUT", "/v3/{pid}/jobs/batch-select-objects", body)
        assert (answer.status_code, answer.json()["error_code"]) == (400, code)
    bad_select = select(api, job_id, [dict(_database("hr"), select="yes")]).json()["results"][0]
    assert bad_select["error_code"] == "DRS.M00202" and "select" in bad_select["error_msg"]
