"""`flask create-organizer EMAIL [--password-stdin]`."""

from __future__ import annotations

import sys

import click
from flask import Flask

from app.auth import services
from app.extensions import db


def register(app: Flask) -> None:
    """Add the `flask create-organizer` command."""

    @app.cli.command("create-organizer")
    @click.argument("email")
    @click.option("--name", default="", help="Display name.")
    @click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts).")
    def create_organizer(email: str, name: str, password_stdin: bool) -> None:
        """Create an organiser account."""
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            organizer = services.create_organizer(email, password, name)
        except services.AuthError as error:
            raise click.ClickException(str(error)) from error
        db.session.commit()
        click.echo(f"Organiser {organizer.email} created.")
