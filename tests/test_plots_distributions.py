"""The figures of infocourse.plots.distributions draw the right numbers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import stats  # noqa: E402

from infocourse import mixtures as mx  # noqa: E402
from infocourse.plots import distributions as d  # noqa: E402

TABLE = np.array([[0.1, 0.5], [0.1, 0.3]])


def _h(p):
    return float(stats.entropy(np.ravel(p), base=2))


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_information_diagram_segments_are_the_entropies():
    ax = d.information_diagram(TABLE)
    h_x, h_y, h_xy = _h(TABLE.sum(1)), _h(TABLE.sum(0)), _h(TABLE)
    widths = [p.get_width() for p in ax.patches]
    # H(X) = H(X|Y) + I, H(Y) = I + H(Y|X), H(X,Y) = all three.
    assert widths[0] + widths[1] == pytest.approx(h_x, abs=1e-12)
    assert widths[2] + widths[3] == pytest.approx(h_y, abs=1e-12)
    assert sum(widths[4:]) == pytest.approx(h_xy, abs=1e-12)
    assert widths[1] == pytest.approx(h_x + h_y - h_xy, abs=1e-12)


def test_chain_rule_bars_stack_to_the_joint_entropy():
    ax = d.chain_rule_bars(TABLE, names=("A", "B"))
    heights = [p.get_height() for p in ax.patches]
    assert heights[0] == pytest.approx(_h(TABLE.sum(1)), abs=1e-12)
    assert heights[0] + heights[1] == pytest.approx(_h(TABLE), abs=1e-12)
    assert heights[2] == pytest.approx(_h(TABLE), abs=1e-12)
    assert heights[3] + heights[4] == pytest.approx(_h(TABLE), abs=1e-12)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["H(A) + H(B|A)", "H(A, B)", "H(B) + H(A|B)"]


def test_compare_predictions_titles_use_the_right_values():
    p, q = np.array([0.3, 0.2, 0.5]), np.array([0.4, 0.3, 0.3])
    fig = d.compare_predictions(p, [q], ["Good"])
    ce = -np.sum(p * np.log2(q))
    kl = stats.entropy(p, q, base=2)
    assert fig.axes[0].get_title() == f"Good\nCE = {ce:.3f} bits, KL = {kl:.3f} bits"


def test_table_heatmap_marks_non_finite_cells():
    ax = d.table_heatmap(np.array([[0.5, -np.inf], [-1.0, 1.0]]), diverging=True, fmt="{:+.1f}")
    assert [t.get_text() for t in ax.texts] == ["+0.5", "-inf", "-1.0", "+1.0"]


def test_scatter_and_joint_histogram_draws_the_normalised_histogram():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(2, 300))
    ex, ey = np.linspace(-3, 3, 5), np.linspace(-4, 4, 7)
    fig = d.scatter_and_joint_histogram(x, y, ex, ey)
    counts, _, _ = np.histogram2d(x, y, bins=[ex, ey])
    drawn = fig.axes[1].collections[0].get_array().reshape(len(ey) - 1, len(ex) - 1)
    np.testing.assert_allclose(drawn, (counts / counts.sum()).T)


def test_gaussian_fits_draws_mixture_and_fits():
    mix = ([0.4, 0.6], [-2.0, 2.0], [0.5, 0.5])
    fits = [mx.fit_gaussian(*mix, divergence=k) for k in ("forward", "reverse")]
    ax = d.gaussian_fits(*mix, fits)
    assert len(ax.lines) == 3
    x, q = ax.lines[1].get_data()
    np.testing.assert_allclose(q, stats.norm.pdf(x, fits[0].mean, fits[0].std), rtol=1e-12)


def test_estimates_vs_n_mean_line():
    ax = d.estimates_vs_n([10, 100, 1000], [[1, 3], [2, 2], [1.9, 2.1]], truth=2.0)
    np.testing.assert_allclose(ax.lines[-2].get_ydata(), [2.0, 2.0, 2.0])


def test_bad_arguments():
    with pytest.raises(ValueError, match="names must be two strings"):
        d.information_diagram(TABLE, names=("X",))
    with pytest.raises(ValueError, match="p_xy must sum to 1"):
        d.chain_rule_bars([[0.1, 0.5], [0.2, 0.3]])
    with pytest.raises(ValueError, match="one title per prediction"):
        d.compare_predictions([0.5, 0.5], [[0.5, 0.5]], ["a", "b"])
    with pytest.raises(ValueError, match="one row per sample size"):
        d.estimates_vs_n([10, 100], [[1.0], [2.0], [3.0]], truth=1.0)
