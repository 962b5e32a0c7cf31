"""What must hold however many requests race: each test on one server with threads, and on two processes."""

from __future__ import annotations

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx

from functions import cli
from functions.domain import passwords
from functions.domain.validators import login_name_key
from functions.repositories import login_attempts
from tests.concurrency.conftest import (
    Deployment,
    Person,
    captcha,
    complete_draft,
    login,
    register_and_login,
    request_sms,
    serial,
    sms_codes,
)


def _all_at_once(count: int, work, workers: int | None = None) -> list:
    """Run work(i) for i in range(count) on `count` threads that start together (a barrier), results in order."""
    barrier = threading.Barrier(min(count, workers or count))

    def run(index: int):
        barrier.wait(timeout=60)
        return work(index)

    with ThreadPoolExecutor(workers or count) as pool:
        return list(pool.map(run, range(count)))


def test_50_registrations_of_one_name_make_one_account(deployment: Deployment) -> None:
    name = f"same_{serial()}"
    people = [Person.new(name) for _ in range(50)]

    def ask(index: int) -> None:
        with deployment.client(index) as client:
            request_sms(client, people[index].phone)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(ask, range(50)))
    with deployment.client() as client:
        codes = sms_codes(client)
    clients = [deployment.client(i) for i in range(50)]

    def register(index: int) -> int:
        return (
            clients[index]
            .post("/api/accounts", json=people[index].registration(codes[people[index].phone]))
            .status_code
        )

    statuses = _all_at_once(50, register)
    assert Counter(statuses) == {201: 1, 409: 49}, Counter(statuses)
    winner = people[statuses.index(201)]

    accounts = [row for row in deployment.rows("ACCOUNT#", "PROFILE") if row.get("login_name") == name]
    assert len(accounts) == 1 and accounts[0]["phone"] == winner.phone
    [index] = deployment.rows(f"LOGIN#{login_name_key(name)}")
    assert index["account_id"] == accounts[0]["id"]
    # The losers' transactions left nothing behind: no phone index of theirs, no ID index but the winner's.
    phones = {row["pk"].removeprefix("PHONE#") for row in deployment.rows("PHONE#139")}
    assert winner.phone in phones and not phones & {person.phone for person in people if person != winner}
    owners = [row for row in deployment.rows("IDNUM#") if row["account_id"] == accounts[0]["id"]]
    assert len(owners) == 1
    for client in clients:
        client.close()
    with deployment.client(1) as client:
        assert login(client, name).status_code == 200


def test_100_submissions_get_100_numbers(deployment: Deployment) -> None:
    applicants, rounds = 20, 5
    cookies = register_and_login(deployment, [Person.new() for _ in range(applicants)])
    barrier = threading.Barrier(applicants)

    def applicant(index: int) -> list[tuple[str, str]]:
        numbers = []
        # Each applicant prepares on one server and submits through the other.
        with deployment.client(index, cookies[index]) as here, deployment.client(index + 1, cookies[index]) as there:
            for _round in range(rounds):
                app_id = complete_draft(here)
                barrier.wait(timeout=60)
                submitted = there.post(
                    f"/api/applications/{app_id}/submit", headers={"Idempotency-Key": f"submit-{app_id}"}
                )
                assert submitted.status_code == 200, submitted.text
                numbers.append((app_id, submitted.json()["number"]))
        return numbers

    with ThreadPoolExecutor(applicants) as pool:
        results = [pair for numbers in pool.map(applicant, range(applicants)) for pair in numbers]
    assert len(results) == applicants * rounds
    numbers = [number for _, number in results]
    assert len(set(numbers)) == len(numbers), Counter(numbers).most_common(3)
    assert all(re.fullmatch(r"210300\d{8}\d{5}", number) for number in numbers)
    stored = {row["id"]: row for row in deployment.rows("APP#", "APP")}
    for app_id, number in results:
        assert stored[app_id]["status"] == "submitted" and stored[app_id]["number"] == number


def test_20_retries_with_one_key_make_one_submission(deployment: Deployment) -> None:
    [cookies] = register_and_login(deployment, [Person.new()])
    with deployment.client(0, cookies) as client:
        app_id = complete_draft(client)
    clients = [deployment.client(i, cookies) for i in range(20)]

    def submit(index: int) -> httpx.Response:
        return clients[index].post(f"/api/applications/{app_id}/submit", headers={"Idempotency-Key": "double-click"})

    answers = _all_at_once(20, submit)
    assert [answer.status_code for answer in answers] == [200] * 20, [answer.text for answer in answers]
    assert len({answer.json()["number"] for answer in answers}) == 1
    [number] = {answer.json()["number"] for answer in answers}
    [app] = [row for row in deployment.rows(f"APP#{app_id}", "APP")]
    assert app["number"] == number and app["status"] == "submitted"
    assert [entry["to"] for entry in app["history"]].count("submitted") == 1
    assert len(deployment.rows(f"IDEMPOTENCY#{app_id}")) == 1
    owner_index = [row for row in deployment.rows(f"OWNER#{app['owner']}")]
    assert [row["id"] for row in owner_index] == [app_id]  # one application, its list entry up to date
    assert owner_index[0]["number"] == number and owner_index[0]["status"] == "submitted"
    # The applicant is texted once about the submission, not once per retry.
    with deployment.client() as client:
        texts = [message for message in client.get("/api/dev/outbox").json() if number in message["text"]]
    assert len(texts) == 1
    for client in clients:
        client.close()


def test_two_staff_deciding_at_once_one_wins_the_other_gets_409(deployment: Deployment) -> None:
    services = deployment.helper_services()
    staff_names = [f"shenpi_{serial()}" for _ in range(2)]
    for name in staff_names:
        cli.create_staff(services, name, "Shenpi2026ok", "210300", "bureau-social", "审批员")
    staff = []
    for index, name in enumerate(staff_names):
        client = deployment.client(index)
        assert login(client, name, "Shenpi2026ok").status_code == 200
        staff.append(client)
    [cookies] = register_and_login(deployment, [Person.new()])
    cases = 8
    app_ids = []
    with deployment.client(0, cookies) as applicant:
        for _ in range(cases):
            app_ids.append(complete_draft(applicant))
            assert applicant.post(f"/api/applications/{app_ids[-1]}/submit").status_code == 200
    decisions = [("accept", ""), ("reject", "材料不齐全，不予受理")]

    for app_id in app_ids:

        def decide(index: int, app_id: str = app_id) -> int:
            action, comment = decisions[index]
            return (
                staff[index]
                .post(f"/api/review/applications/{app_id}/actions", json={"action": action, "comment": comment})
                .status_code
            )

        statuses = _all_at_once(2, decide)
        assert sorted(statuses) == [200, 409], statuses
        [app] = deployment.rows(f"APP#{app_id}", "APP")
        winner = statuses.index(200)
        assert app["status"] == ("accepted", "rejected")[winner]
        assert [entry["to"] for entry in app["history"]] == ["submitted", app["status"]]
        # Exactly one queue holds it: the winner's status, not the one it left nor the loser's.
        queues = [
            row
            for prefix in ("submitted", "accepted", "rejected")
            for row in deployment.rows(f"QUEUE#210300#bureau-social#{prefix}")
            if row["id"] == app_id
        ]
        assert [row["status"] for row in queues] == [app["status"]]
    for client in staff:
        client.close()


def test_20_parallel_wrong_logins_evaluate_at_most_5_passwords(deployment: Deployment, monkeypatch) -> None:
    person = Person.new()
    register_and_login(deployment, [person])
    evaluated = Counter()
    if deployment.services is not None:  # in this process: count the password checks themselves
        verify = passwords.verify_password

        def counting_verify(password_hash: str, password: str) -> bool:
            evaluated[password] += 1
            return verify(password_hash, password)

        monkeypatch.setattr(passwords, "verify_password", counting_verify)
    clients = [deployment.client(i) for i in range(20)]
    bodies = [
        {"login_name": person.login_name, "password": f"Wrong{index}guess", **captcha(clients[index])}
        for index in range(20)
    ]

    statuses = _all_at_once(20, lambda index: clients[index].post("/api/sessions", json=bodies[index]).status_code)
    # Every try was counted before its password was looked at: 5 evaluated (401), 15 refused unevaluated (429).
    assert Counter(statuses) == {401: login_attempts.MAX_FAILURES, 429: 20 - login_attempts.MAX_FAILURES}
    [counter] = deployment.rows(f"LOGINFAIL#{login_name_key(person.login_name)}")
    assert counter["value"] == 20
    if deployment.services is not None:
        assert sum(count for password, count in evaluated.items() if password.startswith("Wrong")) == 5
    # The lock holds for the right password too, on either server.
    assert login(clients[1], person.login_name).status_code == 429
    for client in clients:
        client.close()


APPOINTMENT = {"region": "210300", "subitem_code": "210300-XK-0001-02"}  # 养犬注销登记: booked at the centre


def _open_slots(client: httpx.Client) -> list[dict]:
    """The half hours of the first working day that can be booked (the real clock's tomorrow or later)."""
    days = client.get("/api/appointments/days", params=APPOINTMENT).json()["days"]
    first_open = next(day["date"] for day in days if day["open"])
    slots = client.get("/api/appointments/slots", params={**APPOINTMENT, "date": first_open})
    assert slots.status_code == 200, slots.text
    return slots.json()


def test_30_bookings_of_a_slot_of_5_seat_exactly_5(deployment: Deployment) -> None:
    people = [Person.new() for _ in range(30)]
    cookies = register_and_login(deployment, people)
    with deployment.client() as client:
        slot = _open_slots(client)[0]
    assert slot["available"] == 5
    clients = [deployment.client(i, cookies=cookies[i]) for i in range(30)]

    def book(index: int) -> int:
        return clients[index].post("/api/appointments", json={**APPOINTMENT, "start": slot["start"]}).status_code

    statuses = _all_at_once(30, book)
    assert Counter(statuses) == {201: 5, 409: 25}, Counter(statuses)
    for client in clients:
        client.close()
    with deployment.client() as client:
        assert _open_slots(client)[0] == {**slot, "available": 0}
    day, clock = slot["start"][:10], slot["start"][11:16]
    seats = [row for row in deployment.rows(f"APPTSEAT#210300#{day}") if row["sk"].startswith(clock)]
    assert len(seats) == 5 and len({row["appointment_id"] for row in seats}) == 5


def test_one_person_booking_twice_at_once_gets_one(deployment: Deployment) -> None:
    [cookies] = register_and_login(deployment, [Person.new()])
    with deployment.client() as client:
        first, second = _open_slots(client)[1:3]
    clients = [deployment.client(i, cookies=cookies) for i in range(10)]

    def book(index: int) -> int:
        start = (first, second)[index % 2]["start"]  # the same slot, or another slot of the same day
        return clients[index].post("/api/appointments", json={**APPOINTMENT, "start": start}).status_code

    statuses = _all_at_once(10, book)
    assert Counter(statuses) == {201: 1, 409: 9}, Counter(statuses)
    mine = clients[0].get("/api/appointments").json()["items"]
    assert [item["status"] for item in mine] == ["booked"]
    for client in clients:
        client.close()
