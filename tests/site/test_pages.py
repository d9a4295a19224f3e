"""Static checks of the built site."""


def test_every_toc_chapter_has_a_page(html_dir):
    import yaml

    toc = yaml.safe_load((html_dir.parents[1] / "_toc.yml").read_text())
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    missing = [f for f in files if not (html_dir / f"{f}.html").exists()]
    assert not missing, f"chapters in _toc.yml without a built page: {missing}"
