"""``netraven keys rotate``."""

import click

from netraven.cli.application import Application


@click.command()
@click.option("--keep-old", is_flag=True, help="Keep the old keys in the key file after rotating.")
@click.pass_obj
def rotate(app: Application, keep_old: bool) -> None:
    """Re-encrypt every credential under a new key, in one transaction.

    With a key file, a new key is generated; with credentials.keys in settings, the first key
    listed is used. Nothing changes if a stored secret cannot be decrypted.
    """
    from netraven.credentials.store import retire_old_keys, rotate_keys

    with app.sessions.begin() as session:
        count = rotate_keys(session, app.settings)
    dropped = 0 if keep_old else retire_old_keys(app.settings)
    click.echo(f"Re-encrypted {count} credential(s) under the new key; {dropped} old key(s) retired.")
