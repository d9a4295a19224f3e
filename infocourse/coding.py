"""Lossless source coding: Huffman and Shannon codes, the Kraft inequality.

Entropy is the limit of lossless compression: no uniquely decodable binary
code has an expected length below :math:`H(p)` bits per symbol, and a
Huffman code gets within one bit of it. A code built for the wrong model
``q`` costs the cross-entropy :math:`H(p, q)` instead.

Code lengths are returned as float arrays so that an outcome that never
occurs (``p = 0``) can have length ``inf``, mirroring :math:`-\\log 0`;
such outcomes get no codeword. Everything here is plain numpy: a code is a
combinatorial object, not something one differentiates.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter

import numpy as np

from . import _validation as v
from ._backend import to_numpy


def _probabilities(p, name="p"):
    """A checked 1-D float64 numpy probability vector."""
    p = v.as_array(p, name)
    v.check_vector(p, name)
    p, _ = v.distribution(p, name)
    return to_numpy(p, dtype=np.float64)


def _lengths(lengths, name="lengths"):
    """Checked 1-D code lengths: non-negative integers or ``inf``."""
    arr = v.as_array(lengths, name)
    v.check_vector(arr, name)
    arr = to_numpy(arr, dtype=np.float64)
    finite = np.isfinite(arr)
    if np.isnan(arr).any() or (arr < 0).any() or (arr[finite] != np.round(arr[finite])).any():
        raise ValueError(
            f"{name} must hold codeword lengths: whole numbers >= 0 (or inf for "
            f"an outcome with no codeword), got {arr.tolist()}."
        )
    return arr


def huffman_code_lengths(p):
    r"""Codeword lengths of a binary Huffman code for the distribution ``p``.

    Huffman's algorithm repeatedly merges the two least probable nodes; a
    symbol's length is the number of merges above it. The result is an
    optimal prefix code: its expected length :math:`L = \sum_x p(x)\,\ell(x)`
    is the smallest of any uniquely decodable code and satisfies

    .. math:: H(p) \le L < H(p) + 1 \quad \text{bits per symbol.}

    Ties are broken by outcome index, so the result is deterministic.

    Parameters
    ----------
    p : array_like
        A 1-D probability vector (non-negative, summing to 1).

    Returns
    -------
    numpy.ndarray of float
        One length per outcome, in bits. Outcomes with ``p = 0`` get ``inf``
        (no codeword); a distribution with a single possible outcome gets
        length 0 for it (nothing needs to be sent).

    Examples
    --------
    >>> from infocourse.coding import huffman_code_lengths
    >>> print(huffman_code_lengths([0.5, 0.25, 0.125, 0.125]))
    [1. 2. 3. 3.]
    >>> print(huffman_code_lengths([0.4, 0.6, 0.0]))
    [ 1.  1. inf]

    References
    ----------
    D. A. Huffman, "A Method for the Construction of Minimum-Redundancy
    Codes", Proceedings of the IRE 40 (1952). Cover and Thomas (2006),
    section 5.6.
    """
    p = _probabilities(p)
    lengths = np.full(p.shape, np.inf)
    support = np.flatnonzero(p > 0)
    lengths[support] = 0.0
    # Heap items: (probability, tie-break, outcome indices below the node).
    heap = [(p[i], int(i), [int(i)]) for i in support]
    heapq.heapify(heap)
    tie = len(p)
    while len(heap) > 1:
        p_a, _, a = heapq.heappop(heap)
        p_b, _, b = heapq.heappop(heap)
        lengths[a + b] += 1.0
        heapq.heappush(heap, (p_a + p_b, tie, a + b))
        tie += 1
    return lengths


def shannon_code_lengths(q):
    r"""Codeword lengths :math:`\lceil -\log_2 q(x) \rceil` of a Shannon code for ``q``.

    These lengths satisfy the Kraft inequality, so a prefix code with them
    exists. Used on data from ``p``, its expected length is within one bit of
    the cross-entropy (the "wrong code" theorem):

    .. math:: H(p, q) \le \sum_x p(x) \lceil -\log_2 q(x) \rceil < H(p, q) + 1

    With ``q = p`` this gives :math:`H(p) \le L < H(p) + 1`.

    Parameters
    ----------
    q : array_like
        The model's 1-D probability vector.

    Returns
    -------
    numpy.ndarray of float
        Lengths in bits; ``inf`` where ``q = 0``.

    Examples
    --------
    >>> from infocourse.coding import shannon_code_lengths
    >>> print(shannon_code_lengths([0.5, 0.3, 0.2, 0.0]))
    [ 1.  2.  3. inf]

    References
    ----------
    Cover and Thomas (2006), sections 5.4 (Theorem 5.4.3) and 5.9.
    """
    q = _probabilities(q, "q")
    with np.errstate(divide="ignore"):
        info = -np.log2(q)
    # log2 of a power of two is exact, so q = 1/8 gives exactly 3 bits.
    return np.ceil(info)


def expected_code_length(p, lengths):
    r"""Average codeword length :math:`L = \sum_x p(x)\,\ell(x)` in bits per symbol.

    Outcomes with ``p(x) = 0`` contribute nothing, even if their length is
    ``inf``; an outcome that occurs but has no codeword makes ``L`` infinite.

    Parameters
    ----------
    p : array_like
        The distribution the symbols are drawn from (1-D, sums to 1).
    lengths : array_like
        One codeword length per outcome, e.g. from :func:`huffman_code_lengths`
        of the same or of another (model) distribution.

    Returns
    -------
    float
        Bits per symbol.

    Examples
    --------
    >>> from infocourse.coding import expected_code_length, huffman_code_lengths
    >>> p = [0.5, 0.25, 0.125, 0.125]
    >>> print(expected_code_length(p, huffman_code_lengths(p)))   # = H(p) here
    1.75
    >>> print(expected_code_length(p, [2, 2, 2, 2]))              # fixed-length code
    2.0

    References
    ----------
    Cover and Thomas (2006), eq. (5.1).
    """
    p = _probabilities(p)
    lengths = _lengths(lengths)
    v.check_same_shape(p, lengths, ("p", "lengths"))
    used = p > 0
    return float(np.sum(p[used] * lengths[used]))


def kraft_sum(lengths):
    r"""The Kraft sum :math:`\sum_x 2^{-\ell(x)}` of binary codeword lengths.

    A binary prefix code (indeed any uniquely decodable code) with these
    lengths exists if and only if the sum is at most 1; a Huffman code
    meets it with equality. Lengths ``inf`` (no codeword) add 0.

    Parameters
    ----------
    lengths : array_like
        Codeword lengths in bits, whole numbers >= 0 or ``inf``.

    Returns
    -------
    float

    Examples
    --------
    >>> from infocourse.coding import kraft_sum
    >>> print(kraft_sum([1, 2, 3, 3]))
    1.0
    >>> print(kraft_sum([1, 1, 2]) <= 1)   # no prefix code has these lengths
    False

    References
    ----------
    L. G. Kraft, MSc thesis, MIT (1949); B. McMillan, "Two inequalities
    implied by unique decipherability", IRE Transactions on Information
    Theory 2 (1956). Cover and Thomas (2006), Theorems 5.2.1 and 5.5.1.
    """
    lengths = _lengths(lengths)
    return float(np.sum(np.exp2(-lengths)))


def canonical_code(lengths, symbols=None):
    r"""Binary codewords with the given lengths (a canonical prefix code).

    Symbols are sorted by (length, position) and given consecutive binary
    numbers, shifted left whenever the length grows; the codewords form a
    prefix code whenever :func:`kraft_sum` of ``lengths`` is at most 1.

    Parameters
    ----------
    lengths : array_like
        Codeword lengths (``inf`` = no codeword for that symbol).
    symbols : sequence, optional
        The symbol for each length; default ``range(len(lengths))``.

    Returns
    -------
    dict
        ``{symbol: codeword}`` with codewords as strings of ``"0"``/``"1"``.

    Raises
    ------
    ValueError
        If the lengths violate the Kraft inequality (no prefix code exists).

    Examples
    --------
    >>> from infocourse.coding import canonical_code
    >>> canonical_code([2, 1, 3, 3], symbols="abcd")
    {'b': '0', 'a': '10', 'c': '110', 'd': '111'}

    References
    ----------
    E. S. Schwartz and B. Kallick, "Generating a canonical prefix encoding",
    Communications of the ACM 7 (1964).
    """
    lengths = _lengths(lengths)
    symbols = list(range(len(lengths))) if symbols is None else list(symbols)
    if len(symbols) != len(lengths):
        raise ValueError(
            f"symbols has {len(symbols)} entries but lengths has {len(lengths)}; "
            f"pass one symbol per length."
        )
    if len(set(symbols)) != len(symbols):
        raise ValueError("symbols contains duplicates; each symbol needs its own codeword.")
    total = kraft_sum(lengths)
    if total > 1 + 1e-12:
        raise ValueError(
            f"lengths violate the Kraft inequality (sum of 2^-length = {total:.6g} > 1), "
            f"so no prefix code has them; use longer codewords."
        )
    order = sorted((int(n), i) for i, n in enumerate(lengths) if np.isfinite(n))
    code, value, previous = {}, 0, None
    for n, i in order:
        if previous is not None:
            value = (value + 1) << (n - previous)
        code[symbols[i]] = format(value, "b").zfill(n) if n > 0 else ""
        previous = n
    return code


def huffman_code(p, symbols=None):
    r"""A binary Huffman code for ``p``: ``{symbol: codeword}``.

    The lengths come from :func:`huffman_code_lengths`, the codewords from
    :func:`canonical_code`. Symbols with ``p = 0`` get no codeword.

    Parameters
    ----------
    p : array_like
        A 1-D probability vector.
    symbols : sequence, optional
        The symbol of each outcome; default ``range(len(p))``.

    Returns
    -------
    dict

    Examples
    --------
    >>> from infocourse.coding import huffman_code
    >>> huffman_code([0.1, 0.6, 0.3], symbols="abc")
    {'b': '0', 'a': '10', 'c': '11'}

    References
    ----------
    Huffman (1952); Cover and Thomas (2006), section 5.6.
    """
    return canonical_code(huffman_code_lengths(p), symbols)


def empirical_distribution(sequence, *, alphabet=None, pseudocount=0.0):
    r"""Symbol frequencies of a sequence (e.g. the characters of a text).

    .. math:: \hat p(x) = \frac{n_x + \alpha}{N + \alpha |\mathcal{A}|}

    where :math:`n_x` counts symbol ``x``, ``N`` is the sequence length and
    :math:`\alpha` the pseudocount (add-:math:`\alpha` smoothing, so that a
    model built on one text gives every symbol of the alphabet a codeword).

    Parameters
    ----------
    sequence : iterable of hashable
        The symbols, e.g. a string.
    alphabet : sequence, optional
        Outcomes to report, in this order; must contain every symbol of the
        sequence. Default: the sorted distinct symbols of ``sequence``.
    pseudocount : float, default 0
        :math:`\alpha \ge 0`, added to every count.

    Returns
    -------
    (symbols, p) : (list, numpy.ndarray)

    Examples
    --------
    >>> from infocourse.coding import empirical_distribution
    >>> symbols, p = empirical_distribution("abracadabra")
    >>> print(symbols, p.round(3))
    ['a', 'b', 'c', 'd', 'r'] [0.455 0.182 0.091 0.091 0.182]
    >>> symbols, p = empirical_distribution("aab", alphabet="abc", pseudocount=1)
    >>> print(p.round(4))
    [0.5    0.3333 0.1667]

    References
    ----------
    Cover and Thomas (2006), section 11.1 (types); P. S. Laplace (1814) for
    add-one smoothing.
    """
    counts = Counter(sequence)
    if isinstance(pseudocount, bool) or not isinstance(pseudocount, (int, float)) or not (
        math.isfinite(pseudocount) and pseudocount >= 0
    ):
        raise ValueError(f"pseudocount must be a finite number >= 0, got {pseudocount!r}.")
    if alphabet is None:
        symbols = sorted(counts)
    else:
        symbols = list(alphabet)
        missing = set(counts) - set(symbols)
        if missing:
            raise ValueError(
                f"alphabet lacks {len(missing)} symbol(s) of the sequence, e.g. "
                f"{sorted(map(repr, missing))[:5]}; add them to the alphabet."
            )
        if len(set(symbols)) != len(symbols):
            raise ValueError("alphabet contains duplicates; list each symbol once.")
    weights = np.array([counts.get(s, 0) + pseudocount for s in symbols], dtype=np.float64)
    if weights.size == 0 or weights.sum() == 0:
        raise ValueError(
            "sequence is empty and pseudocount is 0, so there are no frequencies; "
            "pass a non-empty sequence or a positive pseudocount."
        )
    return symbols, weights / weights.sum()


def encode(sequence, code):
    """Concatenate the codewords of ``sequence``'s symbols into one bit string.

    Parameters
    ----------
    sequence : iterable
        Symbols, each a key of ``code``.
    code : dict
        ``{symbol: codeword}``, e.g. from :func:`huffman_code`.

    Returns
    -------
    str
        A string of ``"0"`` and ``"1"``; its length is the compressed size in bits.

    Examples
    --------
    >>> from infocourse.coding import encode
    >>> encode("abca", {"a": "0", "b": "10", "c": "11"})
    '010110'

    References
    ----------
    Cover and Thomas (2006), section 5.1.
    """
    try:
        return "".join(code[s] for s in sequence)
    except KeyError as exc:
        raise ValueError(
            f"symbol {exc.args[0]!r} has no codeword in code; build the code from a "
            f"distribution that gives it positive probability (e.g. "
            f"empirical_distribution(..., alphabet=..., pseudocount=1))."
        ) from None


def decode(bits, code):
    """Decode a bit string produced by :func:`encode` with a prefix code.

    Reads bits until they form a codeword, emits its symbol and starts over;
    this works because no codeword is a prefix of another.

    Parameters
    ----------
    bits : str
        ``"0"``/``"1"`` characters.
    code : dict
        ``{symbol: codeword}``, a prefix code with non-empty codewords.

    Returns
    -------
    list
        The decoded symbols.

    Examples
    --------
    >>> from infocourse.coding import decode
    >>> "".join(decode("010110", {"a": "0", "b": "10", "c": "11"}))
    'abca'

    References
    ----------
    Cover and Thomas (2006), section 5.1.
    """
    if any(len(w) == 0 for w in code.values()):
        raise ValueError(
            "code has an empty codeword (a source with one certain symbol); the "
            "bit string cannot tell how many symbols there were, so send the count instead."
        )
    inverse = {w: s for s, w in code.items()}
    if len(inverse) != len(code):
        raise ValueError("code maps two symbols to the same codeword; it cannot be decoded.")
    words = sorted(inverse)
    for a, b in zip(words, words[1:]):
        if b.startswith(a):
            raise ValueError(
                f"code is not a prefix code: {a!r} is a prefix of {b!r}; build it with "
                f"huffman_code or canonical_code."
            )
    out, current = [], ""
    for bit in bits:
        if bit not in "01":
            raise ValueError(f"bits must contain only '0' and '1', found {bit!r}.")
        current += bit
        if current in inverse:
            out.append(inverse[current])
            current = ""
    if current:
        raise ValueError(
            f"bits end in the middle of a codeword (left over {current!r}); the bit "
            f"string is truncated or was encoded with another code."
        )
    return out
