"""People: users and roles, password logins, access tokens, personal API tokens, browser sessions.

The web API and the CLI both call these; none of them writes SQL of its own. Every change is in
the audit trail (:mod:`netraven.audit`)::

    principal = authenticate(session, settings, "alice", password, address="192.0.2.7")
    token, expires = issue_access_token(settings, principal)
    principal = principal_from_bearer(session, settings, token)   # on each request
    principal.allows(Role.OPERATOR)

Rules of logins (rate limits, lockout) are in :mod:`netraven.users.login`.
"""

from netraven.principal import SYSTEM, Principal, PrincipalKind, Role
from netraven.users.access import issue_access_token, principal_from_bearer
from netraven.users.accounts import (
    UserView,
    add_user,
    check_role,
    check_username,
    edit_user,
    get_user,
    list_users,
    remove_user,
    set_password,
)
from netraven.users.listing import query_api_tokens, query_users
from netraven.users.login import authenticate
from netraven.users.passwords import check_password, hash_password, verify_password
from netraven.users.sessions import (
    close_browser_session,
    csrf_matches,
    open_browser_session,
    principal_from_browser_session,
)
from netraven.users.tokens import (
    TOKEN_PREFIX,
    ApiTokenView,
    create_api_token,
    list_api_tokens,
    principal_from_api_token,
    revoke_api_token,
)

__all__ = [
    "SYSTEM",
    "TOKEN_PREFIX",
    "ApiTokenView",
    "Principal",
    "PrincipalKind",
    "Role",
    "UserView",
    "add_user",
    "authenticate",
    "check_password",
    "check_role",
    "check_username",
    "close_browser_session",
    "create_api_token",
    "csrf_matches",
    "edit_user",
    "get_user",
    "hash_password",
    "issue_access_token",
    "list_api_tokens",
    "list_users",
    "open_browser_session",
    "principal_from_api_token",
    "principal_from_bearer",
    "principal_from_browser_session",
    "query_api_tokens",
    "query_users",
    "remove_user",
    "revoke_api_token",
    "set_password",
    "verify_password",
]
