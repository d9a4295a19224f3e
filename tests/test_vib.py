"""Tests of infocourse.nn.vib."""

import math

import pytest
import torch
import torch.nn.functional as F

from infocourse.nn import VIB, fit, vib_loss


def _data(n=64, seed=0):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 4, generator=gen, dtype=torch.float64)
    y = (x[:, 0] > 0).long()
    return x, y


def test_terms_match_an_independent_computation():
    torch.manual_seed(0)
    model = VIB(4, 2, latent=3).double().eval()
    x, y = _data()
    terms = vib_loss(model, x, y, beta=0.5)
    mu, logvar = model.encode(x)
    dist = torch.distributions.Normal(mu, torch.exp(0.5 * logvar))
    prior = torch.distributions.Normal(torch.zeros_like(mu), torch.ones_like(mu))
    kl = torch.distributions.kl_divergence(dist, prior).sum(1).mean()
    ce = F.cross_entropy(model.classifier(mu), y)
    torch.testing.assert_close(terms["kl"], kl)
    torch.testing.assert_close(terms["ce"], ce)
    torch.testing.assert_close(terms["loss"], ce + 0.5 * kl)


def test_large_beta_closes_the_bottleneck_and_small_beta_learns():
    x, y = _data(256)
    results = {}
    for beta in (1e-3, 10.0):
        torch.manual_seed(0)
        model = VIB(4, 2, latent=2, hidden=16).double()
        loss = lambda m, a, b, beta=beta: vib_loss(m, a, b, beta=beta)  # noqa: E731
        fit(model, loss, (x, y), epochs=30, lr=1e-2, progress=False, device="cpu")
        with torch.no_grad():
            results[beta] = {k: float(t) for k, t in vib_loss(model.eval(), x, y,
                                                            beta=beta).items()}
    # beta = 10: the rate collapses and the labels' cross-entropy stays near H(Y)
    assert results[10.0]["kl"] < 0.05
    assert results[10.0]["ce"] > 0.6 * math.log(2)
    # beta = 1e-3: a code with information about y, much better than chance
    assert results[1e-3]["kl"] > 0.5
    assert results[1e-3]["ce"] < 0.3


@pytest.mark.parametrize(
    "kwargs, error",
    [({"beta": -1.0}, ValueError), ({"beta": float("nan")}, ValueError),
     ({"beta": True}, TypeError)],
)
def test_invalid_beta(kwargs, error):
    x, y = _data(8)
    with pytest.raises(error):
        vib_loss(VIB(4, 2).double(), x, y, **kwargs)


def test_invalid_model_and_shapes():
    x, y = _data(8)
    with pytest.raises(TypeError):
        vib_loss(torch.nn.Linear(4, 2), x, y, beta=1.0)
    with pytest.raises(ValueError):
        VIB(4, 2).double()(torch.zeros(3, 5, dtype=torch.float64))
    with pytest.raises(ValueError):
        VIB(4, 0)
