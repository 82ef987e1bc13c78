"""Kendall's tau and its test (stats.kendall, used by Begg's test), Egger's test edge cases
and the linear-time meta-regression, against values printed by R 4.2.2's ``cor.test``.

Reference: ``cor.test(x, y, method = "kendall", exact = TRUE)``; the vectors are below.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from reportgen.stats.kendall import kendall_test
from reportgen.stats.metareg import regression_slope
from reportgen.stats.small_study import egger_test

# Exact p-values are sums of exactly computed probabilities: agreement to 1e-12.
RTOL = 1e-12
X13 = [0.3, -1.2, 0.8, 1.9, -0.4, 0.05, 2.2, -2.1, 0.6, 1.1, -0.9, 0.2, 1.4]
Y13 = [0.11, 0.52, 0.07, 0.31, 0.44, 0.09, 0.27, 0.61, 0.15, 0.21, 0.38, 0.05, 0.33]
# set.seed(1); x2 <- rnorm(60); y2 <- x2 / 3 + rnorm(60)
X60 = [
    -0.62645381074233242,
    0.18364332422208224,
    -0.83562861241004716,
    1.5952808021377916,
    0.32950777181536051,
    -0.82046838411801526,
    0.48742905242848528,
    0.73832470512921733,
    0.57578135165349231,
    -0.30538838715635602,
    1.511781168450848,
    0.38984323641143109,
    -0.62124058054180376,
    -2.2146998871774999,
    1.1249309181431082,
    -0.044933609015230851,
    -0.016190263098946087,
    0.94383621068529922,
    0.82122119509808855,
    0.59390132121750883,
    0.91897737160821824,
    0.7821363007310671,
    0.074564983365190601,
    -1.9893516958633728,
    0.61982574789471023,
    -0.056128739529000785,
    -0.1557955067053293,
    -1.4707523838992744,
    -0.47815005510862035,
    0.41794156019970241,
    1.358679551529044,
    -0.10278772734299552,
    0.38767161155936913,
    -0.053805040582905118,
    -1.3770595568286066,
    -0.41499456329967976,
    -0.39428995371034931,
    -0.059313396711185663,
    1.1000253719838831,
    0.76317574845754421,
    -0.1645235962535869,
    -0.25336168013650756,
    0.69696337540473741,
    0.55666319867365732,
    -0.6887556945495199,
    -0.70749515696211962,
    0.36458196213683031,
    0.76853292451541577,
    -0.11234621215022805,
    0.88110772645421476,
    0.39810588036706807,
    -0.61202639325077124,
    0.34111969142442478,
    -1.1293630960807926,
    1.433023701701037,
    1.98039989850586,
    -0.36722147646650904,
    -1.0441346263165308,
    0.56971962744241289,
    -0.13505460388082435,
]
Y60 = [
    2.1927998235906654,
    0.0219744386741915,
    0.41119649164742766,
    0.55976242615992988,
    -0.63343728494395179,
    -0.084697161858328873,
    -1.6424822780815427,
    1.7116630966059585,
    0.34518045542972847,
    2.0708155413100342,
    0.97943658504994513,
    -0.57999868545133748,
    0.40364615997512032,
    -1.6723309273700848,
    -0.87865642752473261,
    0.27646836584571921,
    -0.44868862758474837,
    0.31571742186005719,
    0.34808172251769359,
    -0.39155383911556896,
    -0.26234294228242921,
    0.12553348511985696,
    1.2029419910282679,
    -2.1866840323842194,
    0.80055477025999167,
    0.31424079137051802,
    1.0111680017079197,
    -0.79443471826739209,
    0.2106354582134147,
    0.40641264417213185,
    -0.089626847148635724,
    1.1736052302021738,
    1.2896264862147413,
    0.68227863598736316,
    1.1278136022646434,
    0.42015490446541071,
    -1.4080221930281529,
    -0.5930365464739481,
    -0.85793749090372806,
    -0.21900872028679685,
    -0.67520787597531984,
    -0.042338020234600614,
    -0.67860052341753307,
    0.34358317196196075,
    -0.88416987543532444,
    1.5314555503852727,
    0.83823479672948253,
    1.1663518710003657,
    0.34673662044293524,
    1.9758786560041566,
    -0.50303449382662102,
    -0.66565352811082312,
    1.5459888023498045,
    -1.0271507186706308,
    0.27029382363171361,
    0.26732537005996942,
    -0.44240002737067652,
    -0.62715817841540256,
    0.68409487374863132,
    -0.22234868356321449,
]


@pytest.mark.parametrize(
    ("x", "y", "tau", "p"),
    [
        # no ties, n = 13: exact
        (X13, Y13, -0.23076923076923078, 0.30618493967452298),
        # ties in x (round(x)): normal approximation with the tie-corrected variance
        (list(np.round(X13)), Y13, -0.25476233268253401, 0.2543109266498324),
        # no ties, n = 60: exact (metafor's ranktest asks for it; R's default would not)
        (X60, Y60, 0.11525423728813559, 0.19630847958694653),
    ],
)
def test_kendall_matches_r(x, y, tau, p):
    got_tau, got_p = kendall_test(np.array(x), np.array(y))
    assert got_tau == pytest.approx(tau, rel=RTOL)
    assert got_p == pytest.approx(p, rel=RTOL)


def test_kendall_of_constant_values_is_not_estimable():
    tau, p = kendall_test(np.ones(5), np.arange(5.0))
    assert np.isnan(tau) and np.isnan(p)


def test_egger_with_identical_variances_is_not_estimable():
    result = egger_test([0.1, 0.2, 0.3, 0.4], [0.04, 0.04, 0.04, 0.04])
    assert np.isnan(result.statistic) and np.isnan(result.p_value)


def test_meta_regression_runs_in_linear_memory_at_large_k():
    rng = np.random.default_rng(7)
    k = 200_000  # a k x k matrix would need 298 GiB
    v = rng.uniform(0.01, 0.5, k)
    y = rng.normal(0, 1, k) + 0.5 * np.sqrt(v)
    assert regression_slope(y, v, np.sqrt(v), "REML") == pytest.approx(0.5, abs=0.1)


def test_small_study_tests_need_no_scipy_stats():
    code = (
        "import sys; from reportgen.stats.analysis import analyse; "
        "import reportgen.stats.small_study, reportgen.stats.glmm; "
        "assert 'scipy.stats' not in sys.modules and 'scipy.optimize' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
