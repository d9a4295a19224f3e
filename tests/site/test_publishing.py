"""The parts of the published book around the chapters: buttons, bibliography,
notation, API reference."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())


def _toc_files(node=TOC):
    if isinstance(node, dict):
        if "file" in node:
            yield node["file"]
        for key in ("root",):
            if key in node:
                yield node[key]
        for value in node.values():
            if isinstance(value, (list, dict)):
                yield from _toc_files(value)
    elif isinstance(node, list):
        for value in node:
            yield from _toc_files(value)


TOC_FILES = sorted(set(_toc_files()))
NOTEBOOKS = [f for f in TOC_FILES if (ROOT / f"{f}.ipynb").exists()]
MARKDOWN = [f for f in TOC_FILES if (ROOT / f"{f}.md").exists()]


# --------------------------------------------------------------------------- buttons
def test_one_repository_url_configures_every_button():
    url = CONFIG["repository"]["url"]
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url), url
    assert CONFIG["html"]["use_repository_button"] is True
    assert CONFIG["html"]["use_download_button"] is True
    launch = CONFIG["launch_buttons"]
    assert launch["colab_url"] == "https://colab.research.google.com"
    assert launch["binderhub_url"] == "https://mybinder.org"
    assert launch.get("thebe", False) is False, "thebe loads from a CDN on page view"


@pytest.mark.parametrize("doc", NOTEBOOKS)
def test_notebook_pages_have_download_and_launch_buttons(html_dir, doc):
    html = (html_dir / f"{doc}.html").read_text(encoding="utf-8")
    repo = CONFIG["repository"]["url"]
    owner_repo = urlsplit(repo).path.strip("/")
    branch = CONFIG["repository"].get("branch", "main")
    source = f"_sources/{doc}.ipynb"
    assert f'href="{"../" * doc.count("/")}{source}"' in html, f"no .ipynb download on {doc}"
    assert (html_dir / source).is_file()
    assert f"https://colab.research.google.com/github/{owner_repo}/blob/{branch}/{doc}.ipynb" in html
    assert f"https://mybinder.org/v2/gh/{owner_repo}/{branch}?urlpath=" in html
    assert f'href="{repo}"' in html, "no repository button"


@pytest.mark.parametrize("doc", MARKDOWN)
def test_markdown_pages_have_a_source_download(html_dir, doc):
    html = (html_dir / f"{doc}.html").read_text(encoding="utf-8")
    source = f"_sources/{doc}.md"
    assert f'href="{"../" * doc.count("/")}{source}"' in html, f"no .md download on {doc}"
    assert (html_dir / source).is_file()


# --------------------------------------------------------------------------- references
#: Works the book is built on; chapters cite them with these keys.
REQUIRED_KEYS = [
    "shannon1948", "cover2006", "mackay2003", "zhang2023d2l", "kullback1951", "lin1991",
    "kraskov2004", "tishby1999", "tishby2015", "vandenoord2018", "hinton2015", "saxe2018",
    "goldfeld2020", "poole2019", "huffman1952", "kingma2014", "guo2017", "miller1955",
    "paninski2003",
]


def _bib_keys():
    text = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    return re.findall(r"^@\w+\s*\{\s*([^,\s]+)\s*,", text, flags=re.M)


def test_bibliography_has_the_core_works_once_each():
    keys = _bib_keys()
    missing = [k for k in REQUIRED_KEYS if k not in keys]
    duplicated = sorted({k for k in keys if keys.count(k) > 1})
    assert not missing, f"add to book/references.bib: {missing}"
    assert not duplicated, f"keys defined twice in book/references.bib: {duplicated}"


def test_bibliography_parses():
    from pybtex.database import parse_file

    data = parse_file(str(ROOT / "book" / "references.bib"))
    for key, entry in data.entries.items():
        assert entry.persons.get("author") or entry.persons.get("editor") or "organization" in entry.fields, key
        assert "title" in entry.fields and "year" in entry.fields, f"{key}: needs a title and a year"


def _squash(text):
    """Letters and digits only, accents dropped: a BibTeX title (``densit{\\'e}s``)
    and the page's text (``densités``) squash alike."""
    text = re.sub(r"\\[`'^\"~=.]", "", text)  # BibTeX accent commands
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def test_references_page_lists_what_the_chapters_cite(html_dir):
    from pybtex.database import parse_file

    entries = parse_file(str(ROOT / "book" / "references.bib")).entries
    page = (html_dir / "book" / "references.html").read_text(encoding="utf-8")
    page_text = _squash(re.sub(r"<[^>]+>", "", page))
    cited = set()
    for doc in TOC_FILES:
        for suffix in (".md", ".ipynb"):
            path = ROOT / f"{doc}{suffix}"
            if path.exists():
                for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", path.read_text(encoding="utf-8")):
                    cited.update(k.strip() for k in group.split(","))
    assert "shannon1948" in cited, "chapter 1 no longer cites Shannon (1948)?"
    unknown = sorted(cited - set(entries))
    assert not unknown, f"cited but not in book/references.bib: {unknown}"
    absent = sorted(k for k in cited if _squash(entries[k].fields["title"]) not in page_text)
    assert not absent, f"cited but not listed on the references page: {absent}"
    assert page.count('class="citation"') >= len(cited)


def test_notation_page_explains_conventions(html_dir):
    text = (html_dir / "book" / "notation.html").read_text(encoding="utf-8")
    for needle in ("0 \\log 0 = 0", "bit", "nat", "D_{KL}", "I(X; Y)", 'id="term-array_like"'):
        assert needle in text, f"notation page lacks {needle!r}"


# --------------------------------------------------------------------------- API reference
def _public_names(module):
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n, obj in vars(module).items()
                 if not n.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
                 and getattr(obj, "__module__", None) == module.__name__]
    return list(names)


def _api_ids(html_dir):
    ids = set()
    for page in (html_dir / "book" / "api").glob("*.html"):
        ids.update(re.findall(r'id="([^"]+)"', page.read_text(encoding="utf-8")))
    return ids


def test_api_reference_covers_every_public_module_and_name(html_dir):
    import infocourse

    ids = _api_ids(html_dir)
    documented = {i.removeprefix("module-") for i in ids if i.startswith("module-")}
    assert "infocourse" in documented
    problems = []
    # every public top-level module is documented, or re-exported by the package
    for info in pkgutil.iter_modules(infocourse.__path__):
        if info.name.startswith("_"):
            continue
        name = f"infocourse.{info.name}"
        if name in documented:
            continue
        module = importlib.import_module(name)
        absent = [n for n in _public_names(module) if f"infocourse.{n}" not in ids]
        if absent:
            problems.append(f"{name} is not in book/api/ and does not re-export {absent}")
    # every public name of a documented module has an entry
    for name in sorted(documented):
        if any(part.startswith("_") for part in name.split(".")):
            continue  # a private module shown for its docstring (infocourse._validation)
        module = importlib.import_module(name)
        if name.count(".") >= 2 and name.rsplit(".", 1)[0] in documented:
            parent = importlib.import_module(name.rsplit(".", 1)[0])
            if set(_public_names(module)) <= set(_public_names(parent)):
                continue  # documented through its package (infocourse.nn.losses -> infocourse.nn)
        # a public submodule (infocourse.estimate.tasks) has a module entry
        absent = [
            n
            for n in _public_names(module)
            if f"{name}.{n}" not in ids and f"module-{name}.{n}" not in ids
        ]
        if absent:
            problems.append(f"{name}: no API entry for {absent}")
    assert not problems, "\n".join(problems)


def test_api_pages_render_math_and_examples(html_dir):
    page = (html_dir / "book" / "api" / "core.html").read_text(encoding="utf-8")
    assert 'id="infocourse.entropy"' in page
    assert 'class="math' in page, "the docstring formulas did not become math"
    assert "doctest" in page, "the docstring examples did not become doctest blocks"
    assert 'href="../notation.html#term-array_like"' in page, "type words are not linked to the glossary"
