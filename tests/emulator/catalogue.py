"""The database servers a job's endpoints point at: whether they answer, who may log in, and the
databases and tables they hold (the source catalogue that batch-select-objects is checked against).

Seeded through ``POST /__emulator__/databases``. A server nobody seeded answers, accepts any user
and password, and holds ``DEFAULT_CATALOGUE`` (U): so a test that does not care about connections
or objects needs no seeding. Callers hold the emulator lock.
"""

import copy

from emulator.errors import message
from emulator.job_rules import port_of

# (U) What an unseeded source holds: three databases, so that whole-database and table-level
# selections can both be tried.
DEFAULT_CATALOGUE = {
    "shop": ["customers", "orders", "order_items"],
    "inventory": ["products", "stock_levels"],
    "hr": ["employees"],
}

# (U) No code is published for an unreachable database; DRS.M00300 ("Invalid request, %s") carries
# the reason. A wrong user or password is the published DRS.KE0002.
UNREACHABLE = ("DRS.M00300", "failed to connect to the database %s: the network is unreachable")
WRONG_LOGIN = "DRS.KE0002"


def validate_database(spec):
    """A seeded server, normalised; raises ValueError naming what is wrong."""
    if not isinstance(spec, dict) or not isinstance(spec.get("ip"), str) or not spec["ip"]:
        raise ValueError('each database needs "ip" (a string)')
    unknown = set(spec) - {"ip", "port", "reachable", "users", "catalogue"}
    if unknown:
        raise ValueError("unknown database keys: %s" % ", ".join(sorted(unknown)))
    port = spec.get("port")
    if port is not None and port_of(port) is None:
        raise ValueError("database port must be an integer")
    users = spec.get("users")
    if users is not None and (not isinstance(users, dict)
                              or not all(isinstance(v, str) for v in users.values())):
        raise ValueError('database users must be {"user": "password", ...}')
    catalogue = spec.get("catalogue", DEFAULT_CATALOGUE)
    if not isinstance(catalogue, dict) or not all(
            isinstance(tables, list) and all(isinstance(t, str) and t for t in tables)
            for tables in catalogue.values()):
        raise ValueError('database catalogue must be {"db": ["table", ...], ...}')
    return {"ip": spec["ip"], "port": None if port is None else port_of(port),
            "reachable": bool(spec.get("reachable", True)), "users": users,
            "catalogue": copy.deepcopy(catalogue)}


class DatabaseBook:
    def __init__(self):
        self.servers = []

    def clear(self):
        self.servers = []

    def add(self, specs):
        self.servers.extend([validate_database(spec) for spec in specs])

    def view(self):
        """The control API's picture; the seeded passwords are the test's own, shown as given."""
        return copy.deepcopy(self.servers)

    def find(self, endpoint):
        """The server an endpoint points at (the latest seeded match), or None."""
        ip, port = (endpoint or {}).get("ip"), port_of((endpoint or {}).get("db_port"))
        for server in reversed(self.servers):
            if server["ip"] == ip and server["port"] in (None, port):
                return server
        return None

    def login_refusal(self, endpoint):
        """(error_code, error_msg) when logging in to ``endpoint`` fails, else None."""
        server = self.find(endpoint)
        if server is None:
            return None
        if not server["reachable"]:
            address = endpoint.get("ip") if endpoint.get("db_port") in (None, 0) else "%s:%s" % (
                endpoint.get("ip"), endpoint.get("db_port"))
            return UNREACHABLE[0], message(UNREACHABLE[0], UNREACHABLE[1] % address)
        users = server["users"]
        if users is not None and users.get(endpoint.get("db_user")) != endpoint.get("db_password"):
            return WRONG_LOGIN, message(WRONG_LOGIN)
        return None

    def catalogue(self, endpoint):
        server = self.find(endpoint)
        return DEFAULT_CATALOGUE if server is None else server["catalogue"]


# ---- object selection (batch-select-objects) -------------------------------------------------

SELECT_VALUES = ("true", "false", "partial")
OBJECT_TYPES = ("database", "table", "schema", "view")


def table_id(database, table):
    """The documented id of a table: ``<db>-*-*-<table>``."""
    return "%s-*-*-%s" % (database, table)


def selection_problem(catalogue, objects):
    """Why ``objects`` (DatabaseInfo items) cannot be selected from ``catalogue``, or None.

    (U) Only databases and tables are checked against the catalogue (schemas and views are
    accepted as named); a ``partial`` database needs at least one selected table of its own.
    """
    partial = set()
    tables_of = {}
    for index, obj in enumerate(objects):
        where = "job[%d]" % index
        if not isinstance(obj, dict):
            return where
        if obj.get("object_type") not in OBJECT_TYPES:
            return where + ".object_type"
        if obj.get("select") not in SELECT_VALUES:
            return where + ".select"
        if not isinstance(obj.get("id"), str) or not obj["id"]:
            return where + ".id"
        if obj["object_type"] == "database":
            if obj["id"] not in catalogue:
                return "%s.id (%s)" % (where, obj["id"])
            if obj["select"] == "partial":
                partial.add(obj["id"])
        elif obj["object_type"] == "table":
            parent, name = obj.get("parent_id"), obj.get("object_name")
            if parent not in catalogue:
                return "%s.parent_id (%s)" % (where, parent)
            if name not in catalogue[parent] or obj["id"] != table_id(parent, name):
                return "%s.id (%s)" % (where, obj["id"])
            if obj["select"] == "true":
                tables_of.setdefault(parent, []).append(name)
    empty = sorted(db for db in partial if not tables_of.get(db))
    if empty:
        return "job (database %s is partial without a selected table)" % empty[0]
    return None


def selected_object_infos(objects):
    """batch-detail's ``object_infos``: the selected objects as ``{id, parent_id, type, name, alias_name}``."""
    infos = []
    for obj in objects:
        if obj["select"] == "false":
            continue
        info = {"id": obj["id"], "type": obj["object_type"], "name": obj.get("object_name") or obj["id"]}
        if obj.get("parent_id"):
            info["parent_id"] = obj["parent_id"]
        if obj.get("object_alias_name"):
            info["alias_name"] = obj["object_alias_name"]
        infos.append(info)
    return infos
