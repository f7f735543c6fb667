"""``make bench``: measure this book beside the stock Jupyter Book 1 template, in one run.

Both books are built here, on this machine, from copies in a temporary folder (the working tree
is not touched), each with its own build command: the template with ``jupyter-book build .``,
this book with ``spotthelure build`` (what ``make book`` runs: the same Jupyter Book build, strict,
with a faster start); notebooks are executed through the cache in both. Then both sites are
served on 127.0.0.1 and every page is loaded cold in Debian Chromium (a new browser context per
page, so nothing is cached) while the bytes it fetches are counted.
Lighthouse 12 (from ``node_modules``) scores three pages of each, mobile form factor.

Figures are printed side by side with the targets. Nothing here is a test: the test suite checks
behaviour; this prints what the machine measured.

    python -m tools.bench [--no-lighthouse] [--json FILE]     (from the book's folder; `make bench`)
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from spotthelure.pdf import BROWSER_FLAGS

from .bench_analysis import bench as analysis_bench
from .gitfiles import copy_tracked_files
from .serve import serve

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_ARGS = ["--headless=new", *BROWSER_FLAGS]
SKIP_PAGES = {"genindex.html", "search.html"}   # Sphinx's generated pages, not content


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


# Each book is built by its own build command: the template's is Jupyter Book's; ours is what
# `make book` runs (the same jupyter-book build, strict, with a faster start).
STOCK_BUILD = [_bin("jupyter-book"), "build", "."]
OUR_BUILD = [sys.executable, "-m", "spotthelure", "build", "--lang", "en"]   # one language, as the stock book
ALL_LANGS_BUILD = [sys.executable, "-m", "spotthelure", "build"]              # every language in locales/


def _run(cmd, cwd, log) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    dt = time.perf_counter() - t0
    log.write(r.stdout)
    if r.returncode != 0:
        raise SystemExit(f"bench: {' '.join(map(str, cmd))} failed in {cwd}:\n{r.stdout[-3000:]}")
    return dt


def _pages(html_root: Path) -> list[str]:
    pages = []
    for p in sorted(html_root.rglob("*.html")):
        rel = p.relative_to(html_root).as_posix()
        if rel in SKIP_PAGES or rel.startswith(("_static/", "_sources/", "_downloads/", "print/", "downloads/")):
            continue
        if rel == "index.html" and "http-equiv=\"Refresh\"" in p.read_text(errors="replace")[:2000]:
            continue                                   # the redirect Jupyter Book writes at the root
        pages.append(rel)
    return pages


def _doc_count(book: Path) -> int:
    d = book / "_build" / ".doctrees-en"
    return sum(1 for _ in (d if d.is_dir() else book / "_build" / ".doctrees").rglob("*.doctree"))


def _site(book: Path) -> Path:
    """The English site of a build: ``_build/html/en`` in a book with translations."""
    site = book / "_build" / "html"
    return site / "en" if (site / "en" / "index.html").is_file() else site


def language_figures(book: Path, one_clean_s: float, log) -> dict:
    """Every language of the book (``make book``): a clean build from nothing (notebooks included, as
    the one-language clean build was), a no-change rebuild (median of three), and the median cold-load
    page weight of each language."""
    import shutil
    from spotthelure.translate import book_languages
    langs = ["en", *book_languages(book)]
    shutil.rmtree(book / "_build", ignore_errors=True)
    clean = _run(ALL_LANGS_BUILD, book, log)
    nochange = statistics.median(_run(ALL_LANGS_BUILD, book, log) for _ in range(3))
    weights = {}
    root = book / "_build" / "html"
    with serve(root) as url:
        for lang in langs:
            pages = [f"{lang}/{p}" for p in _pages(root / lang)]
            weights[lang] = page_weights(url + "/", pages)
    return {"langs": langs, "clean_s": clean, "one_clean_s": one_clean_s, "nochange_s": nochange,
            "nochange_s_per_lang": nochange / len(langs), "weights": weights}


def language_report(lf: dict) -> str:
    n = len(lf["langs"])
    en_kb = lf["weights"]["en"]["median_kb"]
    rows = [[f"clean build of all {n} languages ({', '.join(lf['langs'])}), s", _fmt(lf["clean_s"]),
             f"<= {_fmt(5 * lf['one_clean_s'])} (5x one language: {_fmt(lf['one_clean_s'])})",
             _verdict(lf["clean_s"] <= 5 * lf["one_clean_s"])],
            ["no-change rebuild of all languages, s (median of 3)", _fmt(lf["nochange_s"]), "", ""],
            ["  per language, s", _fmt(lf["nochange_s_per_lang"]), "<= 2", _verdict(lf["nochange_s_per_lang"] <= 2)]]
    for lang in lf["langs"]:
        kb = lf["weights"][lang]["median_kb"]
        rows.append([f"cold-load KB per page, median, {lang} ({lf['weights'][lang]['pages']} pages)", _fmt(kb, nd=0),
                     f"<= {_fmt(en_kb * 1.1, nd=0)} (English + 10%)", _verdict(kb <= en_kb * 1.1)])
    return "\n".join(["", "Every language (make book)", "", _table(rows, ["measure", "figure", "target", ""])])


def build_figures(book: Path, cmd: list[str], edit_page: str, log) -> dict:
    clean = _run(cmd, book, log)
    docs = _doc_count(book)
    # A rebuild with nothing to do is short, so one run is at the mercy of the machine's other work:
    # the median of three, for both books.
    nochange = statistics.median(_run(cmd, book, log) for _ in range(3))
    page = book / edit_page
    page.write_text(page.read_text() + "\n\nOne more sentence for the rebuild measurement.\n")
    edit = _run(cmd, book, log)
    return {"docs": docs, "clean_s": clean, "clean_s_per_page": clean / docs,
            "nochange_s": nochange, "edit_s": edit}


def page_weights(base: str, pages: list[str]) -> dict:
    """Cold-load every page; count the bytes of every response and every request off the site."""
    from playwright.sync_api import sync_playwright
    sizes, external = [], 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        for rel in pages:
            ctx = browser.new_context()
            page = ctx.new_page()
            total = [0]
            ext = [0]

            def on_finished(req, total=total):
                try:
                    s = req.sizes()
                    total[0] += s["responseBodySize"] + s["responseHeadersSize"]
                except Exception:     # a request the browser cancelled has no sizes
                    pass

            def on_request(req, ext=ext):
                if not req.url.startswith((base, "data:", "blob:", "about:")):
                    ext[0] += 1

            page.on("requestfinished", on_finished)
            page.on("request", on_request)
            page.goto(base + rel, wait_until="networkidle")
            sizes.append(total[0])
            external += ext[0]
            ctx.close()
        browser.close()
    return {"pages": len(pages), "median_kb": statistics.median(sizes) / 1024, "max_kb": max(sizes) / 1024,
            "external_requests": external}


def lighthouse(url: str, root: Path) -> dict:
    binary = root / "node_modules" / ".bin" / "lighthouse"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "lh.json"
        env = dict(os.environ, CHROME_PATH=CHROMIUM)
        r = subprocess.run([str(binary), url, "--quiet", "--output=json", f"--output-path={out}",
                            "--only-categories=performance,accessibility",
                            "--chrome-flags=" + " ".join(CHROME_ARGS)],
                           env=env, capture_output=True, text=True, timeout=300)
        if not out.exists():
            return {"performance": None, "accessibility": None, "error": r.stderr[-500:]}
        data = json.loads(out.read_text())
    cats = data["categories"]
    return {k: round(cats[k]["score"] * 100) if cats[k]["score"] is not None else None
            for k in ("performance", "accessibility")}


# ------------------------------------------------------------------ content and analysis

_CONTENT_CODE = r"""
import json, resource, sys, time
from pathlib import Path
t = {}
t0 = time.perf_counter()
from spotthelure.project import load_activity_file
act, problems = load_activity_file(Path(sys.argv[1]), "bench-quiz.yml")
assert not problems, problems[:3]
t["validate"] = time.perf_counter() - t0
from spotthelure.render_html import quiz_html, standalone_page
from spotthelure.render_print import print_page
from spotthelure.export_gift import quiz_to_gift
from spotthelure.export_qti import quizzes_to_qti
from spotthelure.render_widgets import QuizWidget
steps = [
    ("static HTML+JS", lambda: standalone_page("quiz", act.data)),
    ("widgets", lambda: QuizWidget(act.data)),
    ("worksheet + answer key", lambda: print_page([("quiz", act.data)], answer_key=True)),
    ("GIFT (Moodle)", lambda: quiz_to_gift(act.data)),
    ("QTI 2.1 zip", lambda: quizzes_to_qti([act.data])),
]
for name, f in steps:
    t1 = time.perf_counter(); f(); t[name] = time.perf_counter() - t1
t["total"] = time.perf_counter() - t0
t["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(t))
"""


def big_quiz(root: Path, n: int, dest: Path) -> Path:
    """A quiz of ``n`` items made by copying the book's own items under new ids."""
    import yaml
    from spotthelure.project import load_project
    pr = load_project(root)
    items = [it for a in pr.activities.values() if a.kind == "quiz" for it in a.data["items"]]
    out = []
    singles = 0
    for i in range(n):
        it = json.loads(json.dumps(items[i % len(items)]))     # plain dicts, deep copy
        it["id"] = f"item-{i:04d}"
        it["objectives"] = ["o1"]
        if it["type"] == "single":                 # keep the right answer's position balanced
            opts = it["options"]
            right = next(k for k, o in enumerate(opts) if o.get("correct"))
            shift = (right - singles) % len(opts)
            it["options"] = opts[shift:] + opts[:shift]
            singles += 1
        out.append(it)
    quiz = {"kind": "quiz", "id": "bench-1000", "version": 1, "language": "en", "age_band": "15-18",
            "title": "Benchmark quiz", "description": "Generated for the benchmark.", "items": out}
    dest.write_text(yaml.safe_dump(quiz, allow_unicode=True, sort_keys=False))
    return dest


def content_figures(root: Path, n_items: int = 1000) -> dict:
    t0 = time.perf_counter()
    r = subprocess.run([_bin("spotthelure"), "validate"], cwd=root, capture_output=True, text=True)
    validate_all = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = big_quiz(root, n_items, Path(tmp) / "bench-quiz.yml")
        p = subprocess.run([sys.executable, "-c", _CONTENT_CODE, str(path)], cwd=root,
                           capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"bench: the 1,000-item run failed:\n{p.stderr[-3000:]}")
    return {"validate_all_s": validate_all, "validate_ok": r.returncode == 0,
            "items": n_items, **json.loads(p.stdout.strip().splitlines()[-1])}


# ------------------------------------------------------------------ report

def _fmt(x, unit="", nd=2):
    if x is None:
        return "n/a"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        return f"{x:.{nd}f}{unit}"
    return f"{x}{unit}"


def _table(rows, headers):
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(out)


def _verdict(ok):
    return "n/a" if ok is None else ("met" if ok else "MISSED")


def report(res: dict) -> str:
    s, o = res["stock"], res["ours"]
    rows = [
        ["pages (documents built)", s["build"]["docs"], o["build"]["docs"], "", ""],
        ["clean build, s", _fmt(s["build"]["clean_s"]), _fmt(o["build"]["clean_s"]), "", ""],
        ["clean build, s per page", _fmt(s["build"]["clean_s_per_page"]), _fmt(o["build"]["clean_s_per_page"]),
         "no worse than stock", _verdict(o["build"]["clean_s_per_page"] <= s["build"]["clean_s_per_page"])],
        ["no-change rebuild, s (median of 3)", _fmt(s["build"]["nochange_s"]), _fmt(o["build"]["nochange_s"]), "<= 3",
         _verdict(o["build"]["nochange_s"] <= 3)],
        ["one-page-edit rebuild, s", _fmt(s["build"]["edit_s"]), _fmt(o["build"]["edit_s"]), "<= 10",
         _verdict(o["build"]["edit_s"] <= 10)],
        ["pages loaded cold", s["weight"]["pages"], o["weight"]["pages"], "", ""],
        ["cold-load KB per page, median", _fmt(s["weight"]["median_kb"], nd=0), _fmt(o["weight"]["median_kb"], nd=0),
         f"<= {s['weight']['median_kb'] / 4:.0f} (a quarter)", _verdict(o["weight"]["median_kb"] <= s["weight"]["median_kb"] / 4)],
        ["cold-load KB per page, max", _fmt(s["weight"]["max_kb"], nd=0), _fmt(o["weight"]["max_kb"], nd=0), "", ""],
        ["requests off the site (all pages)", s["weight"]["external_requests"], o["weight"]["external_requests"], "0",
         _verdict(o["weight"]["external_requests"] == 0)],
    ]
    if res.get("lighthouse"):
        for (sp, sr), (op, orr) in zip(res["lighthouse"]["stock"].items(), res["lighthouse"]["ours"].items()):
            rows.append([f"Lighthouse perf / a11y: {sp} | {op}", f"{sr['performance']} / {sr['accessibility']}",
                         f"{orr['performance']} / {orr['accessibility']}", ">= 95 / 100",
                         _verdict(None if orr["performance"] is None else
                                  orr["performance"] >= 95 and orr["accessibility"] == 100)])
    text = ["Spot the Lure beside the stock Jupyter Book 1 template (jupyter-book create), same machine, same run",
            "Built with: stock `jupyter-book build .`; Spot the Lure `spotthelure build --lang en` (one language)",
            "", _table(rows, ["measure", "stock template", "Spot the Lure", "target", ""])]
    c = res["content"]
    crow = [["validate the whole book (spotthelure validate), s", _fmt(c["validate_all_s"]), "", ""],
            [f"{c['items']:,} quiz items: load and validate, s", _fmt(c["validate"]), "", ""]]
    for k in ("static HTML+JS", "widgets", "worksheet + answer key", "GIFT (Moodle)", "QTI 2.1 zip"):
        crow.append([f"{c['items']:,} quiz items to {k}, s", _fmt(c[k]), "", ""])
    crow.append([f"{c['items']:,} quiz items to every output, s (total)", _fmt(c["total"]), "", ""])
    crow.append(["  peak memory of that process, MB", _fmt(c["peak_mb"], nd=0), "", ""])
    for e, mb in zip(res["evaluate"], (500, 1024)):
        crow.append([f"evaluation analysis of {e['rows']:,} response rows (read, check, analyse, report), s",
                     _fmt(e["seconds"]), "<= 5", _verdict(e["seconds"] <= 5)])
        crow.append([f"  processor time of that process, s (load average {e['load_average']}, "
                     f"reference loop {e['reference_loop']} s before)",
                     _fmt(e["cpu_seconds"]), "", ""])
        crow.append(["  peak memory of that process, MB", _fmt(e["peak_mb"], nd=0), f"<= {mb}",
                     _verdict(e["peak_mb"] <= mb)])
    text += ["", "Content engine and analysis (Spot the Lure only)", "",
             _table(crow, ["measure", "figure", "target", ""])]
    return "\n".join(text)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    ap.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse runs (about 2 minutes)")
    ap.add_argument("--json", help="also write the figures as JSON here")
    ap.add_argument("--no-test-times", action="store_true",
                    help="skip timing make test and make test-fast on a fresh clone (about 12 minutes)")
    args = ap.parse_args(argv)
    from spotthelure.project import find_root
    root = find_root()
    res: dict = {}
    with tempfile.TemporaryDirectory(prefix="stl-bench-") as tmp:
        tmp = Path(tmp)
        log = open(tmp / "build.log", "w")
        print("Building the stock template book ...", file=sys.stderr)
        _run([_bin("jupyter-book"), "create", str(tmp / "stock")], tmp, log)
        stock = tmp / "stock"
        ours = tmp / "ours"
        copy_tracked_files(root, ours)
        res["stock"] = {"build": build_figures(stock, STOCK_BUILD, "markdown.md", log)}
        print("Building Spot the Lure ...", file=sys.stderr)
        res["ours"] = {"build": build_figures(ours, OUR_BUILD, "book/how-to-use.md", log)}
        print("Loading every page cold in Chromium ...", file=sys.stderr)
        for name, book in (("stock", stock), ("ours", ours)):
            site = _site(book)
            with serve(site) as url:
                base = url + "/"
                res[name]["weight"] = page_weights(base, _pages(site))
        if not args.no_lighthouse:
            print("Lighthouse (mobile), three pages each ...", file=sys.stderr)
            choice = {"stock": ["intro.html", "markdown.html", "notebooks.html"],
                      "ours": ["book/index.html", "book/teachers/ages-12-14/1-how-grooming-works.html",
                               "notebooks/student-12-14.html"]}
            res["lighthouse"] = {}
            for name, book in (("stock", stock), ("ours", ours)):
                with serve(_site(book)) as url:
                    base = url + "/"
                    res["lighthouse"][name] = {p: lighthouse(base + p, root) for p in choice[name]}
        print("Every language: clean build, no-change rebuild, page weight ...", file=sys.stderr)
        res["languages"] = language_figures(ours, res["ours"]["build"]["clean_s"], log)
    print("Content engine and analysis ...", file=sys.stderr)
    res["content"] = content_figures(root)
    res["evaluate"] = [analysis_bench(100_000), analysis_bench(1_000_000)]
    text = report(res) + "\n" + language_report(res["languages"])
    if not args.no_test_times:
        print("make test and make test-fast on a fresh clone ...", file=sys.stderr)
        from .time_tests import measure, report as tests_report
        res["tests"] = measure()
        text += "\n\nThe test suite on a fresh clone (.venv and node_modules from the locks, the build, every tier)\n\n"
        text += tests_report(res["tests"])
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
