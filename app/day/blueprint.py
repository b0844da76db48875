"""The `day` blueprint, shared by the personal pages and the organiser's console."""

from flask import Blueprint

bp = Blueprint("day", __name__)
