"""``netraven config sync-git``."""

import click

from netraven.cli.application import Application


@click.command("sync-git")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def sync_git(app: Application, as_json: bool) -> None:
    """Commit to git every stored config version that is not there yet.

    Versions stay pending when a run could not write the git history (the directory not
    writable, the disk full, the run killed); every backup run commits them too. Versions of a
    run still in progress are left to it. Renamed devices' files move. Exits 1 if the write failed.
    """
    from netraven.configs import ConfigStore, pending_count

    with app.sessions.begin() as session:
        synced = ConfigStore(app.settings).sync_git(session)
        left = pending_count(session)
    if as_json:
        app.print_json(
            {
                "commits": synced.commits,
                "versions_written": synced.written,
                "versions_superseded": synced.superseded,
                "versions_pending": left,
                "error": synced.error,
            }
        )
    elif synced.commits or synced.written:
        click.echo(f"{synced.written} version(s) written in {len(synced.commits)} commit(s); {left} pending.")
    elif not synced.error:
        click.echo(f"Nothing to commit: git is up to date ({left} pending, of runs in progress).")
    if synced.error:
        app.abort(synced.error)
