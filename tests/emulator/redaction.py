"""Secrets kept out of the request log and out of every view of a job."""

SECRET_FIELDS = frozenset(("password", "secret_key", "sk", "security_token", "auth_token", "token",
                           "access_token", "id_token",
                           # DRS endpoints: SSL certificate and Kafka key material (passwords: any *password)
                           "ssl_cert_key", "trust_store_key", "key_store_key"))
SECRET_HEADERS = frozenset(("x-auth-token", "x-subject-token", "x-security-token"))
REDACTED = "********"


def is_secret_field(key):
    """Secret by name: the DRS endpoints spell passwords many ways (db_password, ssl_cert_password,
    key_store_password, dbpassword ...), so every name ending in "password" counts."""
    name = key.lower()
    return name in SECRET_FIELDS or name.endswith("password")


def redact(value):
    """A copy of a JSON value with every secret field's value replaced, whatever its type: a number,
    a list or an object under a secret name is as secret as a string (IAM's ``password`` object
    holds the user and its password, a ``token`` object its ID). Only null stays, it hides nothing."""
    if isinstance(value, dict):
        return {key: REDACTED if is_secret_field(key) and val is not None else redact(val)
                for key, val in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def redact_headers(headers):
    shown = {}
    for name, value in headers.items():
        if name in SECRET_HEADERS:
            value = REDACTED
        elif name == "authorization" and "Signature=" in value:
            value = value.split("Signature=")[0] + "Signature=" + REDACTED
        shown[name] = value
    return shown


def without_secrets(value):
    """A copy of a JSON value with the secret fields left out, as the API answers with a stored
    endpoint: it never returns a password."""
    if isinstance(value, dict):
        return {key: without_secrets(val) for key, val in value.items() if not is_secret_field(key)}
    if isinstance(value, list):
        return [without_secrets(item) for item in value]
    return value
