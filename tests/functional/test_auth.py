"""Organiser login, logout, the brake on password guessing, and the create-organizer command."""

from datetime import timedelta

from flask.testing import FlaskClient, FlaskCliRunner
from freezegun import freeze_time

from app.auth.models import Organizer
from app.auth.services import find_by_email
from tests.factories import PASSWORD, make_organizer
from tests.instants import BEFORE_SUMMIT


def test_login_and_logout(client: FlaskClient, organizer: Organizer) -> None:
    response = client.post("/login", data={"email": organizer.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/manage/").status_code == 200
    client.post("/logout")
    assert client.get("/manage/").status_code == 302


def test_wrong_password_is_refused_with_a_message(client: FlaskClient, organizer: Organizer) -> None:
    response = client.post("/login", data={"email": organizer.email, "password": "wrong password"})
    assert response.status_code == 401
    assert "The email or password is not right." in response.get_data(as_text=True)


def test_login_form_needs_an_email(client: FlaskClient, db: object) -> None:
    response = client.post("/login", data={"email": "not-an-email", "password": "x"})
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)


def test_repeated_failures_are_slowed_down_then_forgiven(client: FlaskClient, organizer: Organizer) -> None:
    with freeze_time(BEFORE_SUMMIT) as frozen:
        for _ in range(5):
            assert client.post("/login", data={"email": organizer.email, "password": "guess"}).status_code == 401
        # Even the right password is refused while the brake is on.
        assert client.post("/login", data={"email": organizer.email, "password": PASSWORD}).status_code == 429
        frozen.tick(timedelta(minutes=16))
        assert client.post("/login", data={"email": organizer.email, "password": PASSWORD}).status_code == 302


def test_login_redirects_only_to_local_paths(client: FlaskClient, organizer: Organizer) -> None:
    response = client.post("/login?next=https://evil.example/", data={"email": organizer.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_manage_pages_need_login(client: FlaskClient, db: object) -> None:
    response = client.get("/manage/events/new")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_create_organizer_reads_the_password_from_stdin(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["create-organizer", "Chair@City.Example.lg.jp", "--password-stdin"], input="a long enough password\n"
    )
    assert result.exit_code == 0, result.output
    organizer = find_by_email("chair@city.example.lg.jp")
    assert organizer is not None and organizer.password_hash != "a long enough password"


def test_create_organizer_refuses_short_passwords_and_duplicates(runner: FlaskCliRunner) -> None:
    make_organizer(email="taken@city.example.lg.jp")
    short = runner.invoke(args=["create-organizer", "new@city.example.lg.jp", "--password-stdin"], input="short\n")
    assert short.exit_code != 0 and "at least 10" in short.output
    taken = runner.invoke(
        args=["create-organizer", "taken@city.example.lg.jp", "--password-stdin"], input="a long enough password\n"
    )
    assert taken.exit_code != 0 and "already exists" in taken.output


def test_api_token_is_shown_once_and_only_its_hash_is_kept(client: FlaskClient, logged_in: Organizer) -> None:
    page = client.post("/account/api-token").get_data(as_text=True)
    assert "tsu_" in page
    token = page.split("tsu_", 1)[1].split("<", 1)[0]
    assert logged_in.api_token_hash and token not in logged_in.api_token_hash
