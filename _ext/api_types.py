"""Sphinx extension: link the type words of numpydoc docstrings to the glossary.

The API reference (``book/api/``) is generated from numpydoc docstrings by
``sphinx.ext.napoleon``. Their types, such as ``p : array_like or
torch.Tensor``, become Python cross-references. The build is nitpicky and
offline (no intersphinx inventories), so names from outside ``infocourse``
cannot resolve. This extension resolves the few type words the book explains
itself to their entries in the glossary on ``book/notation.md``; the rest of
the external names are listed in ``nitpick_ignore_regex`` in ``_config.yml``.
A reference to an ``infocourse`` object that does not exist still fails the
build.
"""

from __future__ import annotations

#: Type word in a docstring -> glossary term on book/notation.md.
GLOSSARY_TYPES = {
    "array_like": "array_like",
    "array-like": "array_like",
    "torch.Tensor": "torch.Tensor",
    "Tensor": "torch.Tensor",
    "numpy scalar": "numpy scalar",
}


def resolve_type_word(app, env, node, contnode):
    """``missing-reference`` handler: a Python type word -> its glossary term."""
    if node.get("refdomain") != "py" or node.get("reftype") not in {"class", "obj"}:
        return None
    term = GLOSSARY_TYPES.get(node.get("reftarget", ""))
    if term is None:
        return None
    std = env.get_domain("std")
    return std.resolve_xref(env, node.get("refdoc", ""), app.builder, "term", term, node, contnode)


def setup(app):
    app.connect("missing-reference", resolve_type_word)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
