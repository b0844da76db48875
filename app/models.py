"""Imports every model module so that metadata (and Alembic) sees the whole schema."""

from app.auth import models as auth_models  # noqa: F401
from app.cafe import models as cafe_models  # noqa: F401
from app.connections import models as connections_models  # noqa: F401
from app.day import models as day_models  # noqa: F401
from app.events import models as events_models  # noqa: F401
from app.invites import models as invites_models  # noqa: F401
from app.jobs import models as jobs_models  # noqa: F401
from app.notes import models as notes_models  # noqa: F401
from app.outbox import models as outbox_models  # noqa: F401
from app.participants import models as participants_models  # noqa: F401
from app.reports import models as reports_models  # noqa: F401
from app.webhooks import models as webhooks_models  # noqa: F401
