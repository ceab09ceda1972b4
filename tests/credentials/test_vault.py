import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from netraven.credentials.vault import Vault, load_vault, read_key_file
from netraven.exceptions import CredentialError
from netraven.settings import load_settings


def test_round_trip_and_no_secret_in_token_or_repr() -> None:
    vault = Vault([Fernet.generate_key()])
    token = vault.encrypt("Hunter2-secret")
    assert b"Hunter2" not in token
    assert vault.decrypt(token) == "Hunter2-secret"
    assert repr(vault) == "Vault(keys=1, source='settings')"


def test_key_file_created_owner_only_on_first_use(tmp_path: Path) -> None:
    settings = load_settings(environ={"NETRAVEN_HOME": str(tmp_path)})
    with pytest.raises(CredentialError, match=r"no encryption key: key file .* does not exist"):
        load_vault(settings)
    vault = load_vault(settings, create=True)
    assert stat.S_IMODE(settings.key_file.stat().st_mode) == 0o600
    assert len(read_key_file(settings.key_file)) == 1
    assert load_vault(settings).decrypt(vault.encrypt("x-y-z")) == "x-y-z"  # same key next time


def test_wrong_key_is_one_clear_line() -> None:
    token = Vault([Fernet.generate_key()]).encrypt("Hunter2-secret")
    with pytest.raises(CredentialError) as info:
        Vault([Fernet.generate_key()], source="key file /x").decrypt(token)
    assert (
        str(info.value)
        == "cannot decrypt a stored secret with the key(s) from key file /x: wrong or missing key"
    )


def test_invalid_key_in_settings(tmp_path: Path) -> None:
    settings = load_settings(
        environ={"NETRAVEN_HOME": str(tmp_path), "NETRAVEN_CREDENTIALS__KEYS": "not-a-key"}
    )
    with pytest.raises(CredentialError, match=r"credentials\.keys is not a valid Fernet key"):
        load_vault(settings)


def test_multifernet_decrypts_with_old_key_and_rotates_to_new() -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    token = Vault([old]).encrypt("pw-rotate")
    both = Vault([new, old])
    rotated = both.rotate(token)
    assert Vault([new]).decrypt(rotated) == "pw-rotate"
    with pytest.raises(CredentialError):
        Vault([old]).decrypt(rotated)
