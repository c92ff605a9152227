"""Sobol' and Morris estimators and PRIM against known answers (anjian.sensitivity, anjian.robustness)."""

import numpy as np
import pandas as pd
import pytest

from anjian import robustness, sensitivity

PI = np.pi


def ishigami(x, a=7.0, b=0.1):
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


# Ishigami and Homma (1990) with a = 7, b = 0.1: analytical first- and total-order indices.
ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]


def test_sobol_indices_of_the_ishigami_function():
    bounds = [[-PI, PI]] * 3
    x = sensitivity.saltelli_sample(bounds, 4096)
    table = sensitivity.sobol_indices(ishigami(x), 3, bootstrap=200)
    assert np.allclose(table["S1"], ISHIGAMI_S1, atol=0.03), table
    assert np.allclose(table["ST"], ISHIGAMI_ST, atol=0.03), table
    # The intervals hold the truth and shrink with more samples.
    assert (table["ST_low"] <= np.array(ISHIGAMI_ST) + 0.01).all() and (table["ST_high"] >= np.array(ISHIGAMI_ST) - 0.01).all()
    small = sensitivity.sobol_indices(ishigami(sensitivity.saltelli_sample(bounds, 256)), 3, bootstrap=200)
    assert ((small["ST_high"] - small["ST_low"]) > (table["ST_high"] - table["ST_low"])).all()


def test_saltelli_rows_differ_from_a_in_one_factor():
    x = sensitivity.saltelli_sample([[0, 1], [10, 20], [-1, 1]], 8).reshape(8, 5, 3)
    for block in x:
        a, b = block[0], block[-1]
        for i in range(3):
            expected = a.copy()
            expected[i] = b[i]
            assert (block[1 + i] == expected).all()


def test_morris_of_a_linear_function_is_its_scaled_slopes():
    bounds = np.array([[0, 1], [0, 10], [-2, 2]])
    slopes = np.array([3.0, -0.5, 0.0])
    x = sensitivity.morris_sample(bounds, 20, levels=4, seed=1)
    table = sensitivity.morris_effects(x, x @ slopes, bounds, names=["a", "b", "c"])
    # An elementary effect is the change per unit of the factor's range: slope * width.
    assert table.loc["a", "mu_star"] == pytest.approx(3.0)
    assert table.loc["b", "mu"] == pytest.approx(-5.0)
    assert table.loc["c", "mu_star"] == pytest.approx(0.0)
    assert np.allclose(table["sigma"], 0.0, atol=1e-12)
    assert list(table.index) == ["b", "a", "c"]


def test_morris_sigma_reveals_interactions():
    bounds = [[0, 1]] * 3
    x = sensitivity.morris_sample(bounds, 50, levels=4, seed=2)
    y = x[:, 0] * x[:, 1] + 0.5 * x[:, 2]
    table = sensitivity.morris_effects(x, y, bounds, names=["x1", "x2", "x3"])
    assert table.loc["x1", "sigma"] > 0.1 and table.loc["x2", "sigma"] > 0.1
    assert table.loc["x3", "sigma"] == pytest.approx(0.0, abs=1e-12)
    assert table.loc["x3", "mu_star"] == pytest.approx(0.5)


def test_prim_finds_the_failure_region():
    rng = np.random.default_rng(3)
    x = pd.DataFrame(rng.uniform(size=(2000, 4)), columns=["a", "b", "c", "d"])
    fails = (x["a"] > 0.7) & (x["b"] < 0.3)
    result = robustness.prim(x, fails, threshold=0.9)
    assert sorted(result["restricted"]) == ["a", "b"]
    assert result["box"].loc["a", "low"] == pytest.approx(0.7, abs=0.05)
    assert result["box"].loc["b", "high"] == pytest.approx(0.3, abs=0.05)
    assert result["density"] >= 0.9 and result["coverage"] > 0.8


def test_estimators_refuse_bad_layouts():
    with pytest.raises(ValueError, match="multiple of k"):
        sensitivity.sobol_indices(np.ones(7), 3)
    with pytest.raises(ValueError, match="even number"):
        sensitivity.morris_sample([[0, 1]], 3, levels=5)
    with pytest.raises(ValueError, match="low < high"):
        sensitivity.saltelli_sample([[1, 0]], 4)


def test_sobol_indices_do_not_depend_on_the_outputs_mean():
    # A county's cost is millions of yuan varying by a few percent: the mean must not add noise.
    x = sensitivity.saltelli_sample([[-PI, PI]] * 3, 512)
    plain = sensitivity.sobol_indices(ishigami(x), 3, bootstrap=0)
    shifted = sensitivity.sobol_indices(ishigami(x) + 1e6, 3, bootstrap=0)
    assert np.allclose(plain, shifted, atol=1e-6)
