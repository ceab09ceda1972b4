"""NetRaven's built-in job types, registered through the ``netraven.plugins`` entry point."""
