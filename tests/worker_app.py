"""The app as `flask --app tests.worker_app worker` runs it in the SIGTERM test, plus one job kind of the tests'.

`test.count` writes the numbers 0 … n-1 to a file, one step per number (each step takes `step_seconds`, the
stand-in for real work), and resumes from its recorded progress: the file then shows whether any step was
lost or done twice.
"""

from __future__ import annotations

import time
from pathlib import Path

from app import create_app
from app.jobs import queue
from app.jobs.job_context import JobContext

app = create_app()


def count(context: JobContext) -> dict[str, int]:
    target = Path(context.payload["file"])
    total = int(context.payload["n"])
    for number in range(context.done, total):
        time.sleep(float(context.payload.get("step_seconds", 0)))
        with target.open("a") as out:
            out.write(f"{number}\n")
        context.progress(number + 1, total)
    return {"written": total}


queue.register("test.count", count)
