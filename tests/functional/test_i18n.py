"""Language: from the browser, with a switch that remembers the choice."""

import pytest
from flask.testing import FlaskClient


def test_language_follows_the_browser(client: FlaskClient, db: object) -> None:
    assert 'lang="en"' in client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="ja"' in client.get("/login", headers={"Accept-Language": "ja,en;q=0.5"}).get_data(as_text=True)
    # Weights decide, an unknown language falls back to Japanese, and asking again (the choice is memoised per
    # header) gives the same answers in any order.
    cases = {"ja;q=0.4, en-GB;q=0.8": "en", "fr-FR,fr;q=0.9": "ja", "en;q=0.1, ja;q=0.2": "ja", "": "ja"}
    for header, lang in [*cases.items(), *reversed(cases.items())]:
        page = client.get("/login", headers={"Accept-Language": header}).get_data(as_text=True)
        assert f'lang="{lang}"' in page, header


def test_japanese_by_default(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(client.application.config, "BABEL_DEFAULT_LOCALE", "ja")
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="ja"' in page
    assert "ログイン" in page


def test_switch_overrides_the_browser_and_returns_to_the_page(client: FlaskClient, db: object) -> None:
    response = client.get("/lang/en?next=/login")
    assert response.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert 'lang="en"' in page and "Organiser login" in page


def test_switch_does_not_redirect_elsewhere(client: FlaskClient, db: object) -> None:
    assert client.get("/lang/ja?next=//evil.example/x").headers["Location"] == "/"
    assert client.get("/lang/ja?next=https://evil.example/").headers["Location"] == "/"


def test_every_message_has_a_japanese_translation() -> None:
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / "app/translations/ja/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    missing = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []


def test_the_catalogue_is_the_code_s_strings_exactly() -> None:
    """Every string the code and templates say is in the catalogue, and the catalogue keeps nothing they no
    longer say (babel.cfg's mapping: Python, HTML and text templates). To update it after a change:
    pybabel extract -F babel.cfg -k _l -k lazy_gettext -o /tmp/messages.pot . &&
    pybabel update -i /tmp/messages.pot -d app/translations --ignore-obsolete -N"""
    from pathlib import Path

    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    with (root / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(root), method_map, options_map, keywords):
        found.add(message[0] if isinstance(message, tuple) else message)
    with (root / "app/translations/ja/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogued = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(handle) if m.id}
    assert sorted(found - catalogued) == []
    assert sorted(catalogued - found) == []
