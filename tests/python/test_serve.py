"""API tests of `anjian serve` against a started server: every endpoint, every refusal (unknown or
out-of-range lever, caps, queue full, body too large, bad JSON, missing token, paths outside the
bundle), sessions that survive a restart. Runs are small (1-2 replicates, a fraction of a year)."""

import http.client
import json
import socket
import subprocess
import time

import pytest

SMALL = {"replicates": 2, "years": 0.25}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, anjian_bin, tmp_path, *args, host="127.0.0.1"):
        self.port = free_port()
        self.host = host
        self.sessions = tmp_path / "sessions.sqlite"
        self.proc = subprocess.Popen(
            [str(anjian_bin), "serve", "--host", host, "--port", str(self.port), "--sessions", str(self.sessions),
             "--queue", "3", *map(str, args)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.banner = ""
        deadline = time.time() + 30
        while "open http" not in self.banner:
            line = self.proc.stdout.readline()
            if not line or time.time() > deadline:
                raise AssertionError(f"anjian serve did not start: {self.proc.stderr.read()}")
            self.banner += line

    def request(self, method, path, body=None, headers=None, raw=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        conn.request(method, path, body=data, headers=headers or {})
        res = conn.getresponse()
        payload = res.read()
        conn.close()
        kind = res.getheader("Content-Type", "")
        return res.status, json.loads(payload) if kind.startswith("application/json") else payload, res

    def run(self, request):
        status, body, _ = self.request("POST", "/api/runs", request)
        assert status == 202, body
        return self.wait(body["id"])

    def wait(self, run_id):
        deadline = time.time() + 120
        while time.time() < deadline:
            status, body, _ = self.request("GET", f"/api/runs/{run_id}")
            assert status == 200, body
            if body["state"] not in ("queued", "running"):
                return body
            time.sleep(0.1)
        raise AssertionError(f"run {run_id} did not finish")

    def stop(self):
        self.proc.terminate()
        assert self.proc.wait(timeout=30) == 0


@pytest.fixture(scope="module")
def server(anjian_bin, tmp_path_factory):
    s = Server(anjian_bin, tmp_path_factory.mktemp("serve"))
    yield s
    s.stop()


def outcome(result, key):
    return next(o for o in result["outcomes"] if o["key"] == key)


# ---- Reading the tables ----------------------------------------------------------------------------

def test_health(server):
    status, body, _ = server.request("GET", "/api/health")
    assert status == 200 and body["ok"] is True


def test_levers_come_from_the_parameter_table(server, run_cli):
    status, body, _ = server.request("GET", "/api/levers")
    assert status == 200
    keys = {lever["key"] for lever in body["levers"]}
    table = run_cli("params", "--format", "csv", check=True).stdout.splitlines()[1:]
    every = {line.split(",")[0] for line in table}
    fixed = {k for k in every if k.split(".")[0] in ("run", "time", "output", "engine", "experiment")}
    assert keys == every - fixed
    media = next(lever for lever in body["levers"] if lever["key"] == "media.activity")
    assert media["min"] == 0 and media["max"] == 1 and media["unit"]
    assert body["limits"]["max_replicates"] >= body["limits"]["default_replicates"]


def test_library_maps_the_five_reforms_onto_their_keys(server):
    status, body, _ = server.request("GET", "/api/library")
    assert status == 200
    reforms = {r["name"]: r for r in body["reforms"]}
    for name in ("reform_professional_team", "reform_system_mechanism", "reform_assessment", "reform_integration",
                 "reform_social_environment"):
        assert name in reforms
    assert reforms["reform_assessment"]["levers"] == {
        "assessment.kpi_quality_weight": 1.0, "accountability.rule": "due_diligence",
        "departments.administrative_burden": 0.15}
    counties = [c["name"] for c in body["counties"]]
    assert counties[0] == "county_baseline" and "problem_over_accountability" in counties


def test_budget_counts_the_cost_of_posts(server):
    status, body, _ = server.request("POST", "/api/budget",
                                     {"levers": {"departments.emergency_management_staff": 18}})
    assert status == 200
    sq, policy = body["status_quo"], body["policy"]
    assert policy["posts"] - sq["posts"] == 10
    # 10 posts x (salary 100,000 + inspection budget 30,000 yuan/year) in the baseline
    assert policy["total_yuan_per_year"] - sq["total_yuan_per_year"] == pytest.approx(10 * 130000)


# ---- Runs ----------------------------------------------------------------------------------------

def test_a_run_compares_the_policy_with_the_status_quo(server):
    final = server.run({"levers": {"departments.emergency_management_staff": 16}, **SMALL})
    assert final["state"] == "done" and final["progress"] == 1
    result = final["result"]
    assert result["scenarios"] == ["status_quo", "policy"] and result["replicates"] == 2
    inspections = outcome(result, "inspections")
    assert inspections["differences"][0]["difference"] > 0  # twice the posts inspect more
    years = result["series"]["policy"]["deaths_true"]
    assert len(years) == 1 and len(years[0]) == 3  # a quarter year: one (partial) year of mean, low, high
    assert result["cost_effectiveness"][0]["verdict"]
    assert result["budget"]["policy"]["posts"] > result["budget"]["status_quo"]["posts"]


def test_same_request_same_numbers(server):
    request = {"county": "problem_formalism", "levers": {"media.activity": 0.3}, **SMALL}
    a = server.run(request)["result"]
    b = server.run(request)["result"]
    assert a["outcomes"] == b["outcomes"]


def test_with_no_lever_the_pairs_are_equal(server):
    result = server.run(SMALL)["result"]
    for key in ("deaths_true", "cost", "formal_share"):
        assert outcome(result, key)["differences"][0]["difference"] == 0


def test_cancel_and_unknown_run(server):
    status, body, _ = server.request("POST", "/api/runs", {"replicates": 4, "years": 2})
    assert status == 202
    status, cancelled, _ = server.request("DELETE", f"/api/runs/{body['id']}")
    assert status == 200
    assert server.wait(body["id"])["state"] == "cancelled"
    assert server.request("GET", "/api/runs/0123456789abcdef")[0] == 404
    assert server.request("DELETE", "/api/runs/0123456789abcdef")[0] == 404


def test_a_full_queue_answers_429(anjian_bin, tmp_path):
    s = Server(anjian_bin, tmp_path, "--threads", "1")
    try:
        ids, refused = [], None
        for _ in range(4):
            status, body, res = s.request("POST", "/api/runs", {"replicates": 4, "years": 2})
            if status == 429:
                refused = (body, res.getheader("Retry-After"))
                break
            ids.append(body["id"])
        assert len(ids) == 3 and refused is not None
        assert "busy" in refused[0]["error"] and refused[1] == "5"
        for run_id in ids:
            s.request("DELETE", f"/api/runs/{run_id}")
    finally:
        s.stop()


@pytest.mark.parametrize("request_body, words", [
    ({"levers": {"media.actvity": 0.3}}, ["levers.media.actvity", "unknown lever", "media.activity"]),
    ({"levers": {"media.activity": 3}}, ["media.activity", "out of range"]),
    ({"levers": {"media.activity": "loud"}}, ["media.activity"]),
    ({"levers": {"media.activity": [1]}}, ["levers.media.activity", "not a number"]),
    ({"levers": {"accountability.rule": "lenient"}}, ["accountability.rule", "lenient"]),
    ({"levers": {"departments.emergency_management_staff": 2.5}}, ["departments.emergency_management_staff"]),
    ({"levers": {"run.seed": 7}}, ["levers.run.seed", "not a lever"]),
    ({"levers": {"enterprises.count": 100000}}, ["enterprises.count", "cap"]),
    ({"levers": [1, 2]}, ["levers", "object"]),
    ({"county": "atlantis"}, ["county", "atlantis"]),
    ({"replicates": 1000}, ["replicates", "1000"]),
    ({"replicates": 0}, ["replicates"]),
    ({"years": 50}, ["years", "50"]),
    ({"years": "ten"}, ["years"]),
    ({"seed": 3}, ["seed", "unknown field"]),
    ([1, 2, 3], ["body", "object"]),
])
def test_bad_run_requests_are_400_naming_the_field(server, request_body, words):
    for path in ("/api/runs", "/api/budget"):
        status, body, _ = server.request("POST", path, request_body)
        assert status == 400, body
        for word in words:
            assert word in body["error"], (word, body["error"])


def test_invalid_json_and_oversized_bodies(server):
    status, body, _ = server.request("POST", "/api/runs", raw="{not json", headers={"Content-Type": "application/json"})
    assert status == 400 and "not valid JSON" in body["error"]
    huge = json.dumps({"levers": {"media.activity": 0.1}, "pad": "x" * 200_000})
    status, body, _ = server.request("POST", "/api/runs", raw=huge)
    assert status == 413 and "larger" in body["error"]


# ---- Static files ----------------------------------------------------------------------------------

def test_the_app_is_served_from_the_bundle_only(server):
    status, page, res = server.request("GET", "/")
    assert status == 200 and b"<div id=\"app\">" in page
    assert "default-src 'self'" in res.getheader("Content-Security-Policy")
    asset = next(part.split(b'"')[0] for part in page.split(b'src="')[1:])
    status, script, res = server.request("GET", "/" + asset.decode().lstrip("./"))
    assert status == 200 and res.getheader("Content-Type").startswith("text/javascript")
    for path in ("/../CMakeLists.txt", "/%2e%2e/%2e%2e/CMakeLists.txt", "/etc/passwd", "/assets/../../README.md",
                 "/index.html/..", "/web/index.html"):
        assert server.request("GET", path)[0] in (400, 404), path
    status, body, _ = server.request("GET", "/api/nothing")
    assert status == 404 and "no such API route" in body["error"]


# ---- Classroom sessions --------------------------------------------------------------------------

def create_session(s, **fields):
    status, body, _ = s.request("POST", "/api/sessions", {"title": "test", **SMALL, **fields})
    assert status == 201, body
    return body


def submit_team(s, code, team, levers):
    status, body, _ = s.request("POST", f"/api/sessions/{code}/teams", {"team": team, "levers": levers})
    assert status == 202, body
    assert s.wait(body["id"])["state"] == "done"


def test_a_session_hides_the_truth_until_the_facilitator_reveals_it(server):
    session = create_session(server, county="problem_over_accountability")
    code, key = session["code"], session["facilitator_key"]
    assert len(code) == 6 and session["county"] == "problem_over_accountability" and not session["revealed"]
    submit_team(server, code, "Red", {"accountability.rule": "due_diligence"})
    submit_team(server, code, "Blue", {"media.activity": 0.4})
    status, board, _ = server.request("GET", f"/api/sessions/{code}")
    assert status == 200 and [t["team"] for t in board["teams"]] == ["Blue", "Red"]
    for team in board["teams"]:
        assert team["state"] == "done"
        assert "deaths_reported" in team["figures"] and "cost" in team["figures"]
        assert "deaths_true" not in team["figures"]
    # Every team met the same status quo: the same county under the same random numbers.
    assert board["teams"][0]["figures"]["cost"]["status_quo"] == board["teams"][1]["figures"]["cost"]["status_quo"]

    assert server.request("POST", f"/api/sessions/{code}/reveal", {}, {"X-Facilitator-Key": "wrong"})[0] == 403
    assert server.request("POST", f"/api/sessions/{code}/reveal")[0] == 403
    assert server.request("POST", f"/api/sessions/{code}/reveal", {}, {"X-Facilitator-Key": key})[0] == 200
    status, board, _ = server.request("GET", f"/api/sessions/{code}")
    assert board["revealed"] and all("deaths_true" in t["figures"] for t in board["teams"])

    assert server.request("GET", f"/api/sessions/{code}/export.csv")[0] == 403
    status, csv, res = server.request("GET", f"/api/sessions/{code}/export.csv?key={key}")
    assert status == 200 and res.getheader("Content-Type").startswith("text/csv")
    lines = csv.decode().splitlines()
    assert lines[0].startswith("team,state,deaths_true_status_quo") and len(lines) == 3
    assert lines[1].startswith('"Blue","done",')


def test_bad_session_requests(server):
    assert server.request("GET", "/api/sessions/NOSUCH")[0] == 404
    assert server.request("POST", "/api/sessions/NOSUCH/teams", {"team": "x"})[0] == 404
    code = create_session(server)["code"]
    for body, word in [({}, "team"), ({"team": ""}, "team"), ({"team": "x" * 41}, "team"),
                       ({"team": "x", "levers": {"media.actvity": 1}}, "media.actvity"),
                       ({"team": "x", "colour": "red"}, "colour")]:
        status, reply, _ = server.request("POST", f"/api/sessions/{code}/teams", body)
        assert status == 400 and word in reply["error"], (body, reply)
    for body, word in [({"county": "atlantis"}, "atlantis"), ({"title": ""}, "title"), ({"years": 99}, "years")]:
        status, reply, _ = server.request("POST", "/api/sessions", body)
        assert status == 400 and word in reply["error"], (body, reply)


def test_sessions_survive_a_restart(anjian_bin, tmp_path):
    s = Server(anjian_bin, tmp_path)
    session = create_session(s)
    submit_team(s, session["code"], "Green", {"grid.members_per_township": 8})
    s.stop()
    s = Server(anjian_bin, tmp_path)
    try:
        status, board, _ = s.request("GET", f"/api/sessions/{session['code']}")
        assert status == 200 and board["teams"][0]["team"] == "Green" and board["teams"][0]["state"] == "done"
        assert s.request("POST", f"/api/sessions/{session['code']}/reveal", {},
                         {"X-Facilitator-Key": session["facilitator_key"]})[0] == 200
    finally:
        s.stop()


# ---- Access token ---------------------------------------------------------------------------------

def test_a_token_guards_the_api(anjian_bin, tmp_path):
    s = Server(anjian_bin, tmp_path, "--token", "s3cret")
    try:
        status, body, _ = s.request("GET", "/api/levers")
        assert status == 401 and "token" in body["error"]
        assert s.request("GET", "/api/levers", headers={"X-Anjian-Token": "wrong"})[0] == 401
        assert s.request("GET", "/api/levers", headers={"X-Anjian-Token": "s3cret"})[0] == 200
        assert s.request("GET", "/api/levers?token=s3cret")[0] == 200
        assert s.request("GET", "/")[0] == 200  # the page itself; it reads the token from its address
    finally:
        s.stop()


def test_beyond_the_loopback_a_token_is_made_up(anjian_bin, tmp_path):
    s = Server(anjian_bin, tmp_path, host="0.0.0.0")
    try:
        assert "?token=" in s.banner
        token = s.banner.split("?token=")[1].split()[0]
        assert len(token) >= 32
        assert s.request("GET", "/api/health")[0] == 401
        assert s.request("GET", f"/api/health?token={token}")[0] == 200
    finally:
        s.stop()


def test_bad_serve_options(run_cli, tmp_path):
    result = run_cli("serve", "--port", "0")
    assert result.returncode == 2
    result = run_cli("serve", "--web", tmp_path, "--port", str(free_port()))
    assert result.returncode == 1 and "index.html" in result.stderr
    result = run_cli("serve", "--scenarios", tmp_path, "--port", str(free_port()))
    assert result.returncode == 2 and "county_baseline.yaml" in result.stderr
