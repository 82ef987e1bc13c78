"""The pooling engine's vector sums never go through the BLAS.

``numpy.dot`` of two vectors calls the BLAS, whose threads spin and wait on a busy machine: with
OpenBLAS's default threads on a shared 2-core box, ``pool()`` at k = 100,000 took 16 ms against
2.4 ms with numpy's own single-threaded sums (``stats.vectors.inner``). A fit's cost must not
depend on what else runs, so every estimator, test and fit statistic of ``pool()`` is run here
with ``numpy.dot`` made to fail: a vector ``np.dot`` slipping back into the hot path fails this.
"""

from __future__ import annotations

import numpy as np
import pytest

import reportgen
from reportgen.stats.measures import ESTIMATORS
from reportgen.stats.tau2 import Buffers


def _no_blas(*args: object, **kwargs: object) -> None:
    raise AssertionError("numpy.dot called: use reportgen.stats.vectors.inner")


@pytest.mark.parametrize("method", ESTIMATORS)
@pytest.mark.parametrize("test", ["z", "knha"])
@pytest.mark.parametrize("k", [12, Buffers.CACHE_FROM_K + 5])
def test_pool_uses_no_blas_dot(monkeypatch, method, test, k):
    rng = np.random.default_rng(k)
    v = rng.uniform(0.01, 0.1, k)
    y = rng.normal(0.3, np.sqrt(v + 0.05))
    expected = reportgen.pool(y, v, method=method, test=test).to_dict()
    monkeypatch.setattr(np, "dot", _no_blas)
    result = reportgen.pool(y, v, method=method, test=test)
    summary = result.to_dict()  # every field, the lazily computed Q-profile bounds included
    for key in ("estimate", "ci_lower", "ci_upper", "tau2", "i2", "loglik", "aic", "tau2_se"):
        if expected[key] is None:  # tau2_se of the fixed-effect model
            assert summary[key] is None, key
        else:
            assert summary[key] == pytest.approx(expected[key], rel=1e-12, abs=1e-15), key
