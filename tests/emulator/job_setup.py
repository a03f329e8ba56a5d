"""A job's configuration (as batch-creation, batch-modification, batch-select-objects and
batch-limit-speed set it) and how far its setup has gone (connections tested, modified,
prechecked), with the fields batch-detail answers from it.

Passwords are kept (the precheck's connection items log in with them) but never shown: batch-detail
leaves them out, the control API shows them as ``********``.
"""

import copy
import hashlib

from emulator import precheck_items
from emulator.redaction import redact, without_secrets
from emulator.timestamps import epoch_ms

# How far a seeded job's setup has gone; the calls need them in this order (the documented flow).
STAGES = ("created", "connected", "modified", "prechecked")
SEEDED_CONFIG = ("source_endpoint", "target_endpoint", "node_type", "customize_sutnet_id", "is_target_readonly",
                 "multi_write", "expired_days", "tags", "sys_tags", "node_num", "master_az", "slave_az",
                 "replace_definer", "alarm_notify", "speed_limit", "sync_database")


def validate_seed(spec):
    """The configuration keys of a seeded job (``POST /__emulator__/jobs``); raises ValueError."""
    stage = spec.get("setup_stage", "prechecked")
    if stage not in STAGES:
        raise ValueError("setup_stage must be one of %s" % ", ".join(STAGES))
    for side in ("source_endpoint", "target_endpoint", "alarm_notify"):
        if spec.get(side) is not None and not isinstance(spec[side], dict):
            raise ValueError("%s must be an object" % side)
    for key in ("tags", "speed_limit", "object_infos"):
        if spec.get(key) is not None and not isinstance(spec[key], list):
            raise ValueError("%s must be a list" % key)


class JobSetup:
    def __init__(self, spec, now):
        for key in SEEDED_CONFIG:
            setattr(self, key, copy.deepcopy(spec[key]) if key in spec else None)
        # selected objects: object_switch false means "everything" (no object_infos)
        self.object_infos = copy.deepcopy(spec.get("object_infos"))
        self.object_switch = spec.get("object_switch", True if self.object_infos is not None else None)
        self.start_time = None  # a scheduled start, epoch ms (batch-starting's start_time)
        self.actual_start_time = None
        self.update_time = now
        stage = spec.get("setup_stage", "prechecked")
        self.tested = set(("so", "ta")) if STAGES.index(stage) >= 1 else set()
        self.modified = STAGES.index(stage) >= 2
        # Bumped by every change a precheck checks (endpoints, objects ...): a precheck of an older
        # version does not let the job start (U).
        self.version = 0
        self.precheck = None
        if stage == "prechecked":
            self.precheck = precheck_items.new_run("forStartJob", now, 0, precheck_items.SEEDED_FINDINGS,
                                                   self.version)

    def configured(self, now):
        """A change a precheck checks: an earlier precheck no longer counts."""
        self.version += 1
        self.update_time = now

    def precheck_passed(self, now):
        run = self.precheck
        return (run is not None and run["mode"] == "forStartJob" and run["version"] == self.version
                and precheck_items.passed(run, now))

    def precheck_running(self, now):
        return self.precheck is not None and not precheck_items.finished(self.precheck, now)

    def endpoint(self, side):
        return self.source_endpoint if side == "so" else self.target_endpoint

    # ---- views ---------------------------------------------------------------------------------

    def detail_fields(self, job):
        """What batch-detail adds for a configured job (nothing for a job seeded without configuration)."""
        fields = {
            "source_endpoint": without_secrets(self.source_endpoint) if self.source_endpoint else None,
            "target_endpoint": without_secrets(self.target_endpoint) if self.target_endpoint else None,
            "is_target_readonly": self.is_target_readonly, "speed_limit": copy.deepcopy(self.speed_limit),
            "object_switch": self.object_switch, "sync_database": self.sync_database,
            "object_infos": copy.deepcopy(self.object_infos) if self.object_switch else None,
            "replace_definer": self.replace_definer, "alarm_notify": copy.deepcopy(self.alarm_notify),
            "tags": copy.deepcopy(self.tags), "node_num": self.node_num,
            "master_az": self.master_az, "slave_az": self.slave_az,
            "subnet_id": self.customize_sutnet_id,
            "actual_start_time": self.actual_start_time,
        }
        if self.multi_write is not None:
            fields["multi_write"] = bool(self.multi_write) or job.is_dual_active_parent
        # (U) The DRS instance sits in the cloud side's VPC and security group.
        cloud_side = self.target_endpoint if job.job_direction != "down" else self.source_endpoint
        for key in ("vpc_id", "security_group_id"):
            fields[key] = (cloud_side or {}).get(key)
        if self.node_type:
            fields["inst_info"] = self._inst_info(job)
            fields["update_time"] = epoch_ms(self.update_time)
        return {key: value for key, value in fields.items() if value is not None}

    def _inst_info(self, job):
        """The replication instance. (U) its addresses are made up from the job ID; ``start_time`` is
        the scheduled start (the SDK: "迁移实例任务定时启动时间"), ``"0"`` when none, as in the example."""
        digest = hashlib.sha256(job.id.encode("utf-8")).digest()
        info = {"engine_type": job.engine_type, "inst_type": self.node_type,
                "ip": "192.168.%d.%d" % (digest[0], 1 + digest[1] % 254),
                "start_time": self.start_time or "0", "status": "ACTIVE", "volume_size": 100}
        if job.net_type == "eip":
            info["public_ip"] = "100.93.%d.%d" % (digest[2], 1 + digest[3] % 254)
        return info

    def control_view(self):
        """The control API's picture: the configuration with secrets masked, and the setup progress."""
        config = {key: getattr(self, key) for key in SEEDED_CONFIG + ("object_switch", "object_infos")
                  if getattr(self, key) is not None}
        precheck = None
        if self.precheck is not None:  # the items that did not pass; all of them: batch-precheck-result
            precheck = {key: self.precheck[key] for key in ("mode", "started", "duration", "version")}
            precheck["not_passed"] = [dict(item) for item in self.precheck["items"] if item["result"] != "PASSED"]
        return {"config": redact(config), "start_time": self.start_time,
                "connections_tested": sorted(self.tested), "modified": self.modified,
                "config_version": self.version, "precheck": precheck}
