"""Time the pages a clerk opens most, on the database DATABASE_URL names (run by bench/run.py)."""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyops.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = {
    "home page /": "/",
    "admin: household list": "/admin/households/household/",
    "admin: household list, search by name": "/admin/households/household/?q=王",
    "admin: household list, filter 未脱贫": "/admin/households/household/?status__exact=not_exited",
    "admin: member list": "/admin/households/member/",
    "admin: yearly income list": "/admin/households/yearlyincome/",
    "admin: household change page": None,
    "admin: cadre list": "/admin/cadres/cadre/",
    "admin: pairing list": "/admin/cadres/pairing/",
    "admin: rectification list": "/admin/inspections/rectification/",
}


def time_page(client: Client, url: str, repeat: int = 5) -> str:
    client.get(url)  # warm caches and connections
    timings, queries = [], 0
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, secure=True)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return f"{statistics.median(timings) * 1000:.0f} ms median, {queries} queries"


def main() -> None:
    from households.models import Household

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    household = Household.objects.order_by("pk").last()
    results = {}
    for name, url in PAGES.items():
        url = url or f"/admin/households/household/{household.pk}/change/"
        results[name] = time_page(client, url)
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
