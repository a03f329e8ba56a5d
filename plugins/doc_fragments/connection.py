# -*- coding: utf-8 -*-
# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:

    # Modules cannot declare env: in their documentation, so each description names its
    # environment variables. Argument spec: plugins/module_utils/_client/connection_options.py.
    DOCUMENTATION = r'''
options:
  region:
    description:
      - Huawei Cloud region ID, for example C(ap-southeast-1).
      - Builds the default endpoints C(https://drs.{region}.myhuaweicloud.com) and
        C(https://iam.{region}.myhuaweicloud.com), and is the default IAM project name.
      - Falls back to the E(HW_REGION_NAME) environment variable.
      - Required unless O(drs_endpoint) (and, when IAM is used, O(iam_endpoint)) are set.
    type: str
  project_id:
    description:
      - ID of the IAM project that owns the DRS jobs.
      - When omitted it is discovered once per task, from the token's project scope, or with
        AK/SK authentication from the IAM projects API by the name O(project_name), else O(region).
      - Falls back to the E(HUAWEICLOUD_SDK_PROJECT_ID), then E(HW_PROJECT_ID) environment variables.
    type: str
  access_key:
    description:
      - Access key ID for AK/SK request signing (C(SDK-HMAC-SHA256)). Needs O(secret_key).
      - Falls back to the E(HUAWEICLOUD_SDK_AK), then E(HW_ACCESS_KEY) environment variables.
    type: str
  secret_key:
    description:
      - Secret access key for AK/SK request signing.
      - Falls back to the E(HUAWEICLOUD_SDK_SK), then E(HW_SECRET_KEY) environment variables.
    type: str
  security_token:
    description:
      - Security token of a temporary AK/SK pair, sent as C(X-Security-Token).
      - Falls back to the E(HUAWEICLOUD_SDK_SECURITY_TOKEN), then E(HW_SECURITY_TOKEN) environment variables.
    type: str
  auth_token:
    description:
      - An IAM token, sent as C(X-Auth-Token). It is used as is; when it expires the task fails
        and asks for a fresh token.
      - Falls back to the E(HW_AUTH_TOKEN) environment variable.
    type: str
  user_name:
    description:
      - IAM user name for password authentication. Needs O(password) and O(domain_name).
      - Falls back to the E(HW_USER_NAME) environment variable.
    type: str
  password:
    description:
      - IAM user password. One project-scoped IAM token is requested per task.
      - Falls back to the E(HW_PASSWORD) environment variable.
    type: str
  domain_name:
    description:
      - Name of the account (domain) that owns O(user_name).
      - Falls back to the E(HW_DOMAIN_NAME) environment variable.
    type: str
  project_name:
    description:
      - IAM project name used to scope the password token or to discover O(project_id).
        Defaults to O(region).
      - Falls back to the E(HW_PROJECT_NAME) environment variable.
    type: str
  drs_endpoint:
    description:
      - Base URL of the DRS API, for private regions or a test server, for example C(https://drs.example.com:8443).
      - Default C(https://drs.{region}.myhuaweicloud.com).
      - Falls back to the E(HW_DRS_ENDPOINT) environment variable.
    type: str
  iam_endpoint:
    description:
      - Base URL of the IAM API. Default C(https://iam.{region}.myhuaweicloud.com).
      - Falls back to the E(HUAWEICLOUD_SDK_IAM_ENDPOINT), then E(HW_IAM_ENDPOINT) environment variables.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificates of the endpoints. Set to V(false) only for tests.
    type: bool
    default: true
  ca_path:
    description:
      - File with the PEM certificates of the CAs to trust, for endpoints signed by a private CA.
      - Falls back to the E(HW_CA_PATH) environment variable (the AWX/AAP credential type injects its
        CA bundle field as a file and sets it).
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP request to connect and to answer.
      - A request that gets no answer within O(timeout) is sent at most twice (once with O(retries=0)),
        so an endpoint that accepts connections and never answers fails the task after about twice
        O(timeout), plus a backoff of a few seconds.
    type: int
    default: 30
  retries:
    description:
      - How many times a request is retried when it is throttled (HTTP 429, C(DRS.M01503)),
        the server fails (HTTP 5xx) or the connection breaks. Waits between tries grow
        exponentially with random jitter, and follow C(Retry-After) when the server sends it.
      - The stop/delete request itself is retried only when the server certainly did not process it.
    type: int
    default: 5
  max_concurrent_requests:
    description:
      - How many requests of one call may be in flight at once (1 to 10). A read over more than 100 jobs
        sends one request per 100 jobs (and a module that acts, one action request per C(batch_size) jobs);
        the first goes alone, the others up to this many at a time. At 10,000 jobs and 150 ms per request,
        a run with 4 took about a third of the time it took with 1 (C(bench/RESULTS.md) in the collection's
        repository).
      - Set 1 to send one request at a time, for example when the account is throttled. Throttled
        requests are retried anyway (see O(retries)).
    type: int
    default: 4
  language:
    description:
      - Language of the DRS messages, sent as the C(X-Language) header.
    type: str
    choices: [en-us, zh-cn]
    default: en-us
notes:
  - "Authentication: the method is chosen from the credential options the task sets (its arguments or
    C(module_defaults)): the first of O(auth_token); O(access_key) and O(secret_key); O(user_name),
    O(password) and O(domain_name) that the task sets completely, else the first it names. Environment
    variables only complete that method's missing options (a security token only together with an access
    key from the environment); the other methods' variables are ignored, so an identity in the
    environment never replaces the one the play names. Only when the task sets no credential option is
    the method chosen from the environment, in the same order, with a warning naming the variables used
    and ignored when more than one complete set is there. An incomplete set fails before any request,
    naming the missing options."
  - Where an option reads several environment variables, the first one set wins, in the order given
    in its description (the Huawei Cloud SDK's names first).
  - All connection options can be set once for every module of the collection with
    C(module_defaults) and the group C(group/huaweicloud.cloud.huaweicloud).
  - Secrets (O(secret_key), O(security_token), O(auth_token), O(password) and issued IAM tokens) are
    never returned, logged or shown in messages.
requirements:
  - requests
'''
