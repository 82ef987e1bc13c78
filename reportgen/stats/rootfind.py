"""Brent's root finder, step for step as R's ``uniroot`` runs it.

metafor finds some estimates (Paule-Mandel tau2, Q-profile confidence bounds) with ``uniroot`` at
a loose tolerance (``.Machine$double.eps^0.25``, about 1.2e-4). To agree with metafor to more
digits than that tolerance, we take the same steps: this is Brent's (1973) algorithm in the form
of Forsythe, Malcolm & Moler's ``zeroin`` (Computer Methods for Mathematical Computations, 1977),
which R's ``uniroot`` implements: bisection, secant and inverse quadratic interpolation.
"""

from __future__ import annotations

from collections.abc import Callable

EPSILON = 2.220446049250313e-16
R_DEFAULT_TOLERANCE = EPSILON**0.25


class RootNotBracketed(ValueError):
    """f(lower) and f(upper) have the same sign."""


def zeroin(
    f: Callable[[float], float],
    lower: float,
    upper: float,
    tol: float = R_DEFAULT_TOLERANCE,
    max_iterations: int = 1000,
) -> float:
    """A root of ``f`` in [lower, upper], as ``uniroot(f, c(lower, upper), tol = tol)$root``.

    Raises ``RootNotBracketed`` if f does not change sign over the interval.
    """
    a, b = lower, upper
    fa, fb = f(a), f(b)
    if fa == 0:
        return a
    if fb == 0:
        return b
    if (fa > 0) == (fb > 0):
        raise RootNotBracketed(f"f({lower}) and f({upper}) have the same sign")
    c, fc = a, fa
    for _ in range(max_iterations + 1):
        previous_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2 * EPSILON * abs(b) + tol / 2
        new_step = (c - b) / 2
        if abs(new_step) <= tol_act or fb == 0:
            return b
        if abs(previous_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:  # secant
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:  # inverse quadratic interpolation
                q = fa / fc
                t1 = fb / fc
                t2 = fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2) and p < abs(previous_step * q / 2):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b
