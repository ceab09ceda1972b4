"""Device credentials: encrypted storage in the database, candidate order per device, key rotation.

Functions taking a ``Session`` work inside the caller's transaction; bad input raises a one-line
:class:`~netraven.exceptions.CredentialError` before anything is written::

    with open_session() as session:
        vault = vault_for_new_credentials(session, settings)
        add_credential(session, vault, "lab", "admin", "s3cret", tags=["lab"])
"""

from netraven.credentials.editing import edit_credential, query_credentials
from netraven.credentials.store import (
    CandidateCredential,
    add_credential,
    candidates_for_devices,
    credential_view,
    get_credential,
    list_credentials,
    record_attempt,
    record_logins,
    remove_credential,
    retire_old_keys,
    rotate_keys,
    stored_secrets,
    unreadable_credentials,
    vault_for_new_credentials,
)
from netraven.credentials.vault import Vault, generate_key, load_vault, read_key_file, write_key_file

__all__ = [
    "CandidateCredential",
    "Vault",
    "add_credential",
    "candidates_for_devices",
    "credential_view",
    "edit_credential",
    "generate_key",
    "get_credential",
    "list_credentials",
    "load_vault",
    "query_credentials",
    "read_key_file",
    "record_attempt",
    "record_logins",
    "remove_credential",
    "retire_old_keys",
    "rotate_keys",
    "stored_secrets",
    "unreadable_credentials",
    "vault_for_new_credentials",
    "write_key_file",
]
