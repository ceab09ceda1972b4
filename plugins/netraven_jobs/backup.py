"""``backup``: fetch each device's configuration and keep a new version only when it changed."""

from __future__ import annotations

from typing import Any

from nornir.core.task import Result, Task
from nornir_netmiko.tasks import netmiko_send_command

from netraven import platforms
from netraven.configs import ConfigStore
from netraven.configs.git_sync import pending_count
from netraven.configs.normalize import NOT_A_CONFIG
from netraven.db.models import JobLog
from netraven.exceptions import DeviceError
from netraven.jobs import DeviceInfo, HostContext, JobType, Parameter, RunContext
from netraven.platforms import DEFAULT_BACKUP_COMMAND as DEFAULT
from netraven.platforms.clean import clean_output
from netraven.platforms.model import join_outputs
from netraven_jobs.facts import facts_of, read_facts, store_facts


class Backup(JobType):
    """Fetches the configuration, stores a version when the normalised text changed, commits to git.

    Output that is empty, implausibly short, carries the platform's error markers or has none of
    the lines every config of the platform has fails the host (kind ``parse`` or ``command``) and
    keeps the last good version. The command is the run's ``command``, else the device's own backup
    command, else its tags', else its platform's (several joined in order); a command of one's own
    must print the configuration too, unless ``unchecked`` says otherwise: its output is then
    stored as it is, the version recording the command and that it was not checked. Every changed
    device fires ``netraven_config_changed``; a run's changed devices make one git commit, and a failed
    git write is a warning on the run (the versions are committed later), never a failed host.
    """

    name = "backup"
    shardable = True
    distributable = True
    description = "Back up device configurations; a new version only when the config changed."
    parameters = {
        "command": Parameter(str, default="", help="command printing the config (default: per platform)"),
        "enable": Parameter(bool, default=None, help="enter privileged mode first (default: per platform)"),
        "unchecked": Parameter(
            bool, default=False, help="store the command's output even if it does not look like a config"
        ),
        "facts": Parameter(bool, default=True, help="also read OS version, model, serial and uptime"),
    }

    def __init__(self) -> None:
        self.store: ConfigStore | None = None

    def prepare(self, context: RunContext) -> None:
        self.store = ConfigStore(context.settings)

    def task(self, task: Task, **params: Any) -> Result:
        platform = platforms.find(task.host.platform)
        commands, enable = (platform.commands, platform.enable) if platform else (DEFAULT[:1], DEFAULT[1])
        own = params.get("command") or task.host.data.get("backup_command")  # the run's, the device's
        if own:
            commands = (own,)
        if params.get("enable") is not None:
            enable = params["enable"]
        for command in platform.setup_commands if platform else ():
            task.run(netmiko_send_command, command_string=command, enable=enable)
        outputs = [
            str(task.run(netmiko_send_command, command_string=command, enable=enable)[0].result)
            for command in commands
        ]
        facts = facts_of(task.host.platform) if params.get("facts", True) else None
        if facts is not None:
            task.run(read_facts, facts=facts)  # never fails: a facts error is logged, the backup stands
        return Result(
            host=task.host, result={"config": clean_output(join_outputs(outputs)), "command": own or None}
        )

    def handle_result(self, context: HostContext) -> dict[str, Any]:
        assert self.store is not None, "prepare() was not called"
        fetched = context.result[0].result
        text, command = (
            (fetched.get("config"), fetched.get("command")) if isinstance(fetched, dict) else (fetched, None)
        )
        unchecked = context.run.parameters.get("unchecked")
        try:
            saved = self.store.save(
                context.session,
                context.device_id,
                text if isinstance(text, str) else "",
                context.platform,
                run_id=context.run.run_id,
                redactor=context.redactor,
                command=command,
                unchecked=bool(unchecked),
            )
        except DeviceError as exc:
            if command and str(exc).startswith(NOT_A_CONFIG):
                hint = f"; to store the output of {command!r} anyway: --param unchecked=yes"
                raise DeviceError(f"{exc}{hint}", kind=exc.kind, host=context.hostname) from None
            raise
        if saved.changed:
            context.notify(
                "netraven_config_changed",
                device=DeviceInfo(context.device_id, context.hostname, context.platform),
                old=saved.previous_text,
                new=saved.new_text,
                diff=context.redactor.redact(saved.diff),
                version=saved.version,
            )
            summary = f"version {saved.version} stored ({saved.changed_lines} lines changed)"
            if unchecked:
                summary += f", the unchecked output of {command!r}"
        else:
            summary = f"unchanged (version {saved.version})"
        facts = store_facts(context)
        return {
            "changed": saved.changed,
            "version": saved.version,
            "changed_lines": saved.changed_lines,
            "size_bytes": len(saved.new_text.encode("utf-8")),
            "summary": summary,
            **({"facts": facts} if facts is not None else {}),
        }

    def finish(self, context: RunContext) -> str | None:
        """Mark the devices that failed as failed backups, then make one git commit for the run's
        changed devices, after any an earlier run could not write.

        A failed write leaves the hosts as they are: the run's message and a WARNING job log line
        say why and how to fix it, and the versions stay pending for the next run or sync-git.
        """
        store = self.store or ConfigStore(context.settings)  # a distributed run's: prepare() never ran
        store.record_failures(context.session, context.run.run_id)
        if not context.settings.backup.git_commit:  # another machine writes the history
            left = pending_count(context.session, context.run.run_id)
            return f"{left} version(s) left for the machine writing git (backup.git_commit)" if left else None
        synced = store.commit_pending(context.session, context.run.run_id)
        said = [f"git commit {synced.run_commit[:10]}"] if synced.run_commit else []
        earlier = len(synced.commits) - (1 if synced.run_commit else 0)
        if earlier:
            said.append(f"{earlier} earlier git commit{'s' * (earlier != 1)} caught up")
        if synced.error:
            warning = f"warning: {synced.error} ({synced.left} version{'s' * (synced.left != 1)} pending)"
            context.session.add(
                JobLog(run_id=context.run.run_id, level="WARNING", category="git", message=warning)
            )
            said.append(warning)
        return "; ".join(said) or None
