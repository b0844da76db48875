"""The one place the app object is built: `gunicorn wsgi:app`, `flask --app wsgi …`."""

from app import create_app

app = create_app()
