"""The t quantile of the confidence intervals (analysis/tdist.py) against scipy's."""
from __future__ import annotations

import math

import pytest

from spotthelure.analysis.tdist import betainc, t_quantile


@pytest.mark.parametrize("df", [*range(1, 60), 99, 100, 101, 999, 1000, 1001, 4999, 10_000, 99_999, 499_999,
                                1_000_000, 10_000_000])
@pytest.mark.parametrize("p", [0.975, 0.95, 0.9, 0.995])
def test_t_quantile_matches_scipy(df, p):
    from scipy.special import stdtrit      # here, not at collection: only the worker that runs these needs scipy
    assert t_quantile(p, df) == pytest.approx(float(stdtrit(df, p)), rel=1e-9)


def test_t_quantile_from_a_printed_table():
    assert t_quantile(0.975, 4) == pytest.approx(2.776445105, abs=1e-9)
    assert t_quantile(0.975, 1) == pytest.approx(12.70620474, abs=1e-8)


def test_incomplete_beta_known_values():
    assert betainc(1, 1, 0.3) == pytest.approx(0.3)                       # uniform
    assert betainc(2, 3, 0.4) == pytest.approx(0.5248)                    # 1 - sum of binomial terms
    assert betainc(0.5, 0.5, 0.5) == pytest.approx(0.5)
    assert betainc(5, 5, 0.0) == 0 and betainc(5, 5, 1.0) == 1


def test_t_quantile_refuses_what_it_cannot_give():
    for p, df in ((0.5, 3), (1.0, 3), (0.975, 0), (0.975, math.nan)):
        with pytest.raises(ValueError):
            t_quantile(p, df)
