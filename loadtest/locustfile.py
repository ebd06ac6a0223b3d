"""The load test's people (`make loadtest`, see README "Load test"): partners viewing their
home, meetings and claims and sending a claim; staff listing and approving claims; trustees
opening the dashboard. They sign in with the sessions `seed_scale --sessions` wrote
(LOADTEST_SESSIONS) and talk to gunicorn as the production proxy does (X-Forwarded-Proto:
https). At the end it prints requests per second, p50/p95/p99, errors and 5xx answers, and
fails when there was any error or p95 was over LOADTEST_P95_MS (300 by default).
"""

import json
import os
import random
import re
from datetime import date
from datetime import timedelta

from locust import HttpUser
from locust import between
from locust import events
from locust import task

SESSIONS = json.loads(open(os.environ["LOADTEST_SESSIONS"]).read())  # noqa: SIM115, PTH123
P95_TARGET_MS = float(os.environ.get("LOADTEST_P95_MS", "300"))
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
server_errors = {"count": 0}


@events.request.add_listener
def _count_server_errors(response=None, **kwargs) -> None:
    if response is not None and getattr(response, "status_code", 0) >= 500:
        server_errors["count"] += 1


class Person(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.origin = self.host.replace("http://", "https://")
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": self.origin})
        self.client.cookies.set(SESSIONS["cookie"], random.choice(SESSIONS["sessions"][self.role]))  # noqa: S311

    def page(self, path: str, name: str | None = None):
        """GET a page; a redirect (to the sign-in page, for instance) is a failure."""
        with self.client.get(path, name=name or path, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")
            token = response.cookies.get("csrftoken")
            if token:  # Secure cookies do not travel over plain HTTP: keep a copy that does
                self.client.cookies.set("csrftoken", token)
            return response

    def post(self, path: str, form_page, data: dict, name: str):
        match = CSRF_FIELD.search(form_page.text)
        data = {**data, "csrfmiddlewaretoken": match[1] if match else ""}
        with self.client.post(path, data=data, name=name, allow_redirects=False, catch_response=True,
                              headers={"Referer": self.origin + path}) as response:
            if response.status_code != 302:
                response.failure(f"{name} answered {response.status_code}")


class Partner(Person):
    role = "partner"
    weight = 6

    @task(4)
    def home(self) -> None:
        self.page("/my/")

    @task(3)
    def meetings(self) -> None:
        self.page("/my/meetings/")

    @task(3)
    def claims(self) -> None:
        self.page("/my/claims/")

    @task(1)
    def send_a_claim(self) -> None:
        form = self.page("/my/claims/new/")
        fee = re.search(r'name="activity_type" value="(\d+)"', form.text)
        day = date.today() - timedelta(days=random.randint(1, 60))  # noqa: S311
        self.post("/my/claims/new/", form, {
            "activity": "Read the new leaflet and sent comments.", "activity_date": day.isoformat(),
            "activity_type": fee[1] if fee else "", "hours": "1.5", "travel": "3.20",
            "travel_description": "Bus there and back",
        }, name="/my/claims/new/ [send]")


class Staff(Person):
    role = "staff"
    weight = 3

    @task(4)
    def claims_list(self) -> None:
        self.page("/staff/claims/")

    @task(2)
    def approve_a_claim(self) -> None:
        waiting = self.page("/staff/claims/?status=submitted", name="/staff/claims/?status=submitted")
        claims = re.findall(r'href="/staff/claims/(\d+)/"', waiting.text)
        if not claims:
            return
        pk = random.choice(claims)  # noqa: S311
        detail = self.page(f"/staff/claims/{pk}/", name="/staff/claims/[id]/")
        amount = re.search(r'name="amount" value="([\d.]+)"', detail.text)
        if not amount:  # approved by someone else meanwhile
            return
        self.post(f"/staff/claims/{pk}/approve/", detail, {"amount": amount[1]},
                  name="/staff/claims/[id]/approve/")


class Trustee(Person):
    role = "trustee"
    weight = 1

    @task
    def dashboard(self) -> None:
        self.page("/dashboard/?period=last_year", name="/dashboard/?period=last_year")


@events.quitting.add_listener
def _summary(environment, **kwargs) -> None:
    total = environment.stats.total
    p50, p95, p99 = (total.get_response_time_percentile(p) for p in (0.5, 0.95, 0.99))
    print(f"\nLoad test: {total.num_requests} requests, {total.total_rps:.1f} requests per second, "
          f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms, {total.num_failures} errors, "
          f"{server_errors['count']} answers 5xx "
          f"(target: 0 errors, 0 5xx, p95 at most {P95_TARGET_MS:.0f} ms).")
    if total.num_failures or server_errors["count"] or p95 > P95_TARGET_MS:
        environment.process_exit_code = 1
