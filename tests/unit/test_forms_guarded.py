"""Every form of the app is an app.forms.Form, so the shared field bounds apply to all of them."""

from __future__ import annotations

import importlib
import pkgutil

from flask_wtf import FlaskForm

import app
from app.forms import Form


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


def test_every_form_uses_the_guarded_base() -> None:
    for module in pkgutil.walk_packages(app.__path__, "app."):
        if not module.name.startswith("app.demo"):
            importlib.import_module(module.name)
    unguarded = sorted(
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in _all_subclasses(FlaskForm)
        if cls.__module__.startswith("app.") and not issubclass(cls, Form)
    )
    assert unguarded == [], "derive these from app.forms.Form instead of FlaskForm: " + ", ".join(unguarded)
