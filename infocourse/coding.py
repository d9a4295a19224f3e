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


# --- arithmetic coding ----------------------------------------------------------
#
# A binary arithmetic coder in the style of Witten, Neal and Cleary (1987): the
# state is a 32-bit interval [low, high], every step's distribution is quantised
# to integer frequencies that sum to 2**16, and an interval that straddles the
# middle is expanded with the "pending bits" rule. Python integers do the
# arithmetic exactly, so encoder and decoder agree bit for bit on every machine.

_STATE_BITS = 32
_FREQ_BITS = 16
_TOTAL = 1 << _FREQ_BITS
_FULL = (1 << _STATE_BITS) - 1
_HALF = 1 << (_STATE_BITS - 1)
_QUARTER = 1 << (_STATE_BITS - 2)
_MAX_SYMBOLS = 1 << (_FREQ_BITS - 1)


def _check_alphabet_size(k, name):
    if k == 0:
        raise ValueError(f"{name} has no symbols (K = 0); pass at least one column.")
    if k > _MAX_SYMBOLS:
        raise ValueError(
            f"{name} has K = {k} symbols, more than the coder's limit of "
            f"{_MAX_SYMBOLS} (frequencies are quantised to 2**{_FREQ_BITS}, and every "
            f"symbol needs at least one count); use a smaller alphabet."
        )


def _probability_rows(probs, name="probs"):
    """``probs`` as a checked (n, K) float64 numpy array of distributions."""
    arr = v.as_array(probs, name)  # refuses booleans, NaN, objects, ...
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n, K): one distribution over the K "
            f"symbols per position, got shape {tuple(arr.shape)}. For one distribution "
            f"used at every step, repeat it: np.tile(p, (n, 1))."
        )
    _check_alphabet_size(arr.shape[1], name)
    if arr.shape[0]:
        v.check_distribution(arr, name, 1, shown_axis=-1)
    return to_numpy(arr).astype(np.float64)


def _symbol_array(symbols, name="symbols"):
    """``symbols`` as a 1-D int64 numpy array (range checked by the caller)."""
    if isinstance(symbols, (str, bytes)):
        raise TypeError(
            f"{name} must be a sequence of integer symbol indices, got a "
            f"{type(symbols).__name__}; map characters to indices first, e.g. "
            f"[alphabet.index(c) for c in text]."
        )
    arr = to_numpy(symbols)
    if arr.size == 0:
        arr = arr.astype(np.int64)
    if arr.dtype == bool or arr.dtype.kind not in "iu":
        raise TypeError(
            f"{name} must hold integer symbol indices, got an array of dtype "
            f"{arr.dtype}; convert with np.asarray(..., dtype=int) if the values are "
            f"whole numbers."
        )
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D sequence of symbol indices, got shape "
            f"{tuple(arr.shape)}."
        )
    return arr.astype(np.int64)


def _quantise(rows):
    r"""Integer frequencies (summing to :math:`T = 2^{16}`) for rows of probabilities.

    :math:`f_k = 1 + \lfloor p_k (T - K) \rfloor`, and the few counts left over
    (fewer than K) go to the most probable symbol. So every symbol keeps at least
    one count and :math:`f_k / T > p_k (1 - K/T)`.
    """
    rows = np.atleast_2d(rows)
    k = rows.shape[1]
    freqs = 1 + np.floor(rows * (_TOTAL - k)).astype(np.int64)
    freqs = np.minimum(freqs, _TOTAL - k + 1)
    top = np.argmax(rows, axis=1)
    freqs[np.arange(len(rows)), top] += _TOTAL - freqs.sum(axis=1)
    cum = np.zeros((len(rows), k + 1), dtype=np.int64)
    np.cumsum(freqs, axis=1, out=cum[:, 1:])
    return cum


def _check_occurring(rows, symbols, offset=0, name="probs"):
    """Range of the symbols and no zero probability on an occurring one."""
    k = rows.shape[1]
    bad = np.flatnonzero((symbols < 0) | (symbols >= k))
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"symbols[{i + offset}] = {int(symbols[i])} is out of range for {name} with "
            f"K = {k} symbols; symbols must be indices in [0, {k - 1}]."
        )
    zero = np.flatnonzero(rows[np.arange(len(symbols)), symbols] == 0)
    if zero.size:
        i = int(zero[0])
        raise ValueError(
            f"symbols[{i + offset}] = {int(symbols[i])} has probability 0 in "
            f"{name}[{i + offset}], so no code can send it (its ideal length is "
            f"infinite); give every possible symbol positive probability, e.g. by "
            f"smoothing the model."
        )


def _ask_model(model, prefix, i, k=None):
    """One checked distribution from a callable model at step ``i``."""
    name = f"probs(prefix) at position {i}"
    out = v.as_array(model(prefix), name)
    if out.ndim != 1:
        raise ValueError(
            f"{name} must return a 1-D distribution over the symbols, got shape "
            f"{tuple(out.shape)}."
        )
    out = out[None, :]
    row = _probability_rows(out, name)
    if k is not None and row.shape[1] != k:
        raise ValueError(
            f"{name} has {row.shape[1]} symbols but earlier steps had {k}; the model "
            f"must keep one alphabet."
        )
    return row


def arithmetic_encode(symbols, probs):
    r"""Arithmetic-code ``symbols`` with a model's step-by-step distributions.

    Symbol :math:`x_i` is coded with the distribution :math:`p_i` the model gives
    at step ``i`` (an n-gram or a neural language model predicting the next
    symbol from the ones before). The output length is, up to the small costs
    below, the model's **cross-entropy** on the sequence:

    .. math::

        8\,|\text{data}| \le \sum_{i=1}^{n} -\log_2 p_i(x_i)
        + n\,(\delta_K + \delta_R) + 9 \ \text{bits}.

    The coder works with integers only, so decoding is exact on every machine:

    * The state is a 32-bit interval, renormalised bit by bit as in Witten, Neal
      and Cleary [1]; after renormalisation it is wider than :math:`2^{30}`.
    * Each distribution is quantised to integer frequencies summing to
      :math:`T = 2^{16}`: :math:`f_k = 1 + \lfloor p_k (T - K) \rfloor`, the
      leftover counts going to the most probable symbol. Every symbol keeps at
      least one count, and :math:`f_k/T > p_k (1 - K/T)`, so quantisation costs
      less than :math:`\delta_K = -\log_2(1 - K/T)` bits per symbol (about
      :math:`K/45\,000` bits: 0.0014 bits for K = 64).
    * Splitting an interval of width :math:`R > 2^{30}` in proportion to the
      frequencies rounds down by less than one unit, which costs less than
      :math:`\delta_R = -\log_2(1 - T/2^{30}) \approx 8.8 \times 10^{-5}` bits
      per symbol.
    * Ending the message takes 2 bits, and padding to whole bytes at most 7.

    Parameters
    ----------
    symbols : sequence of int
        The message, as indices ``0 <= x_i < K``.
    probs : array_like of shape (n, K), or callable
        Row ``i`` is the model's distribution for symbol ``i`` (each row a
        probability vector within the usual dtype tolerance; nothing is
        renormalised). Or a callable ``probs(prefix) -> p`` that receives the
        symbols before step ``i`` as a tuple of ints and returns the next
        distribution, a 1-D vector of K probabilities: a model queried step by
        step, as a decoder must query it.

    Returns
    -------
    bytes
        The code. It does not record ``n``: the decoder gets it from the number
        of rows of ``probs``, or from its ``n`` argument.

    Raises
    ------
    ValueError
        If a row is not a distribution, if shapes disagree, if a symbol is out of
        range, or if a symbol that occurs has probability 0 (the message names
        its position).
    TypeError
        For boolean or non-numeric ``probs`` or non-integer ``symbols``.

    See Also
    --------
    arithmetic_decode : the inverse.
    huffman_code : a prefix code, up to one bit per symbol above the entropy.

    Examples
    --------
    >>> import numpy as np
    >>> from infocourse.coding import arithmetic_decode, arithmetic_encode
    >>> probs = np.tile([0.9, 0.05, 0.05], (8, 1))
    >>> data = arithmetic_encode([0, 0, 1, 0, 0, 0, 2, 0], probs)
    >>> len(data), float(-np.log2(probs[0, [0, 0, 1, 0, 0, 0, 2, 0]]).sum().round(2))
    (2, 9.56)
    >>> arithmetic_decode(data, probs)
    [0, 0, 1, 0, 0, 0, 2, 0]

    A model given as a function of the prefix (here: "repeat the last symbol"):

    >>> def sticky(prefix):
    ...     p = np.full(3, 0.1)
    ...     p[prefix[-1] if prefix else 0] = 0.8
    ...     return p
    >>> data = arithmetic_encode([0, 0, 0, 2, 2, 2, 2, 1], sticky)
    >>> arithmetic_decode(data, sticky, n=8)
    [0, 0, 0, 2, 2, 2, 2, 1]

    References
    ----------
    1. I. H. Witten, R. M. Neal and J. G. Cleary, "Arithmetic coding for
       data compression", Communications of the ACM 30 (1987).
    2. J. Rissanen, "Generalized Kraft inequality and arithmetic coding",
       IBM Journal of Research and Development 20 (1976).
    3. D. J. C. MacKay, Information Theory, Inference, and Learning
       Algorithms (2003), chapter 6.
    """
    x = _symbol_array(symbols)
    n = len(x)
    if callable(probs):
        lo = np.empty(n, dtype=np.int64)
        hi = np.empty(n, dtype=np.int64)
        prefix, k = [], None
        for i in range(n):
            row = _ask_model(probs, tuple(prefix), i, k)
            k = row.shape[1]
            _check_occurring(row, x[i : i + 1], offset=i, name="probs(prefix)")
            cum = _quantise(row)[0]
            lo[i], hi[i] = cum[x[i]], cum[x[i] + 1]
            prefix.append(int(x[i]))
    else:
        rows = _probability_rows(probs)
        if rows.shape[0] != n:
            raise ValueError(
                f"probs has {rows.shape[0]} rows but symbols has {n} entries; pass "
                f"one distribution per symbol."
            )
        if n == 0:
            return b""
        _check_occurring(rows, x)
        cum = _quantise(rows)
        lo = cum[np.arange(n), x]
        hi = cum[np.arange(n), x + 1]
    if n == 0:
        return b""
    return _encode_intervals(lo.tolist(), hi.tolist())


def _encode_intervals(lows, highs):
    """The WNC encoder loop on precomputed cumulative-frequency bounds."""
    low, high, pending = 0, _FULL, 0
    bits = []
    emit = bits.append
    for c_lo, c_hi in zip(lows, highs):
        width = high - low + 1
        high = low + (width * c_hi >> _FREQ_BITS) - 1
        low = low + (width * c_lo >> _FREQ_BITS)
        while True:
            if high < _HALF:
                emit(0)
                bits.extend([1] * pending)
                pending = 0
            elif low >= _HALF:
                emit(1)
                bits.extend([0] * pending)
                pending = 0
                low -= _HALF
                high -= _HALF
            elif low >= _QUARTER and high < 3 * _QUARTER:
                pending += 1
                low -= _QUARTER
                high -= _QUARTER
            else:
                break
            low <<= 1
            high = (high << 1) | 1
    # Two more bits single out a point inside [low, high]; zeros pad the rest.
    pending += 1
    if low < _QUARTER:
        bits.append(0)
        bits.extend([1] * pending)
    else:
        bits.append(1)
        bits.extend([0] * pending)
    return np.packbits(np.array(bits, dtype=np.uint8)).tobytes()


def arithmetic_decode(data, probs, n=None):
    r"""Decode the output of :func:`arithmetic_encode` with the same model.

    The decoder repeats the encoder's interval arithmetic: at step ``i`` it
    quantises the same distribution, finds the symbol whose sub-interval holds
    the code value, and narrows the interval. It needs the model's distribution
    for step ``i`` only after decoding symbols ``0 .. i-1``, which is what makes a
    language model usable as a compressor. The length ``n`` is not in ``data``:
    it is the number of rows of ``probs``, or ``n`` for a callable model.

    Parameters
    ----------
    data : bytes
        The code.
    probs : array_like of shape (n, K), or callable
        Exactly what was given to :func:`arithmetic_encode`.
    n : int, optional
        Number of symbols to decode; required with a callable ``probs``, and if
        given with an array it must equal its number of rows.

    Returns
    -------
    list of int
        The symbols. With the wrong model or corrupted data the result is some
        other sequence (arithmetic codes carry no check).

    See Also
    --------
    arithmetic_encode : the bound on the code length and the quantisation.

    Examples
    --------
    >>> import numpy as np
    >>> from infocourse.coding import arithmetic_decode, arithmetic_encode
    >>> probs = np.array([[0.5, 0.5], [0.99, 0.01], [0.25, 0.75]])
    >>> arithmetic_decode(arithmetic_encode([1, 0, 1], probs), probs)
    [1, 0, 1]

    References
    ----------
    I. H. Witten, R. M. Neal and J. G. Cleary, "Arithmetic coding for data
    compression", Communications of the ACM 30 (1987).
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"data must be bytes (the output of arithmetic_encode), got "
            f"{type(data).__name__}."
        )
    if callable(probs):
        if n is None:
            raise ValueError(
                "n is required when probs is a callable model: the code does not "
                "record the number of symbols; pass n=len(message)."
            )
        n = v.check_int(n, "n", minimum=0)
        rows = None
    else:
        rows = _probability_rows(probs)
        if n is not None:
            n = v.check_int(n, "n", minimum=0)
            if n != rows.shape[0]:
                raise ValueError(
                    f"n = {n} but probs has {rows.shape[0]} rows; the message length "
                    f"is the number of rows, so leave n out or pass matching probs."
                )
        n = rows.shape[0]
        cum_all = _quantise(rows) if n else None
    bits = np.unpackbits(np.frombuffer(bytes(data), dtype=np.uint8)).tolist()
    n_bits = len(bits)
    value = 0
    for j in range(_STATE_BITS):
        value = (value << 1) | (bits[j] if j < n_bits else 0)
    pos = _STATE_BITS
    low, high = 0, _FULL
    out, k = [], None
    for i in range(n):
        if rows is None:
            row = _ask_model(probs, tuple(out), i, k)
            k = row.shape[1]
            cum = _quantise(row)[0]
        else:
            cum = cum_all[i]
        width = high - low + 1
        target = ((value - low + 1) * _TOTAL - 1) // width
        s = int(np.searchsorted(cum, target, side="right")) - 1
        s = min(max(s, 0), len(cum) - 2)
        c_lo, c_hi = int(cum[s]), int(cum[s + 1])
        high = low + (width * c_hi >> _FREQ_BITS) - 1
        low = low + (width * c_lo >> _FREQ_BITS)
        out.append(s)
        while True:
            if high < _HALF:
                pass
            elif low >= _HALF:
                low -= _HALF
                high -= _HALF
                value -= _HALF
            elif low >= _QUARTER and high < 3 * _QUARTER:
                low -= _QUARTER
                high -= _QUARTER
                value -= _QUARTER
            else:
                break
            low <<= 1
            high = (high << 1) | 1
            value = (value << 1) | (bits[pos] if pos < n_bits else 0)
            pos += 1
    return out
