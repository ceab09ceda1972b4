"""A credential the key cannot decrypt, and a deleted key file: every host is still recorded (#13)."""

from click.testing import CliRunner
from sqlalchemy import select

from netraven.cli import main
from netraven.credentials.store import add_credential
from netraven.credentials.vault import Vault, generate_key
from netraven.db.models import Credential, JobLog
from tests.faults.conftest import BACKENDS, Command, LabFactory, assert_settled

STALE = "stale-secret-never-shown"


@BACKENDS
def test_an_undecryptable_credential_is_skipped(worker_lab: LabFactory, backend: str) -> None:
    lab = worker_lab(backend, devices=2)
    with lab.sessions.begin() as session:
        add_credential(session, Vault([generate_key()]), "stale", "admin", STALE, priority=1, tags=["lab"])
    command = Command(lab)
    assert command.wait() == 0, command.output()

    (run,) = lab.runs()
    assert run.status == "succeeded" and run.message is not None
    assert "credentials that could not be decrypted: stale (wrong or missing key)" in run.message
    assert_settled(lab, run, command.process.pid)
    with lab.sessions() as session:
        lines = list(session.scalars(select(JobLog.message).where(JobLog.run_id == run.id)))
    assert sum("(stale): could not be decrypted" in line for line in lines) == 2, lines
    assert STALE not in command.output() and not any(STALE in line for line in lines)


@BACKENDS
def test_a_deleted_key_file_fails_every_host_with_the_reason_and_no_new_key_is_made(
    worker_lab: LabFactory, backend: str
) -> None:
    lab = worker_lab(backend, devices=2)
    key_file = lab.settings.key_file
    key_file.unlink()
    command = Command(lab)
    assert command.wait() == 3, command.output()

    (run,) = lab.runs()
    assert run.status == "failed" and run.message is not None
    assert run.message.startswith(f"no encryption key: key file {key_file} does not exist"), run.message
    assert {(r.status, r.error_kind) for r in run.results} == {("failed", "auth")}
    assert all("could not be decrypted" in (r.message or "") for r in run.results)
    assert_settled(lab, run, command.process.pid)

    added = CliRunner().invoke(main, ["credential", "add", "new", "-u", "x", "--no-enable-secret"],
                               input="pw\n", env=lab.env)  # fmt: skip
    assert added.exit_code == 1 and "restore it from your backup" in added.output
    assert not key_file.exists()
    with lab.sessions() as session:
        assert "new" not in set(session.scalars(select(Credential.name)))
