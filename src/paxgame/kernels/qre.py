"""The logit quantal response equilibrium (QRE) correspondence and its principal branch.

Layout and equations
--------------------
``payoffs`` has shape (N, m_1, ..., m_N); a profile is flat (length M = sum m_i, see
:mod:`paxgame.kernels.nplayer`). A logit QRE at precision lam is a profile p with
p_ij proportional to exp(lam v_ij(p)), v_ij the value of action j of player i against the
others' mixtures (McKelvey & Palfrey 1995). In log-probabilities x = ln p the
correspondence is the zero set of the M equations

    x_ij - x_i0 - lam (v_ij - v_i0) = 0     (j = 1, ..., m_i - 1)
    sum_j exp(x_ij) - 1 = 0

in the M + 1 unknowns (x, lam). For generic games the component through the uniform profile
at lam = 0 (the principal branch) is a smooth curve whose limit as lam grows is a Nash
equilibrium (McKelvey & Palfrey 1995); Turocy (2005) traces it with a predictor-corrector
method in exactly these coordinates, where the path becomes asymptotically straight (the
log-probabilities of unused actions fall linearly in lam), so steps can grow geometrically.

Path following
--------------
:class:`LogitBranch` is a pseudo-arclength tracer (Allgower & Georg 1990, ch. 2): the
tangent t solves [J; t_prev'] t = [0; 1] (the null direction of the M x (M + 1) Jacobian,
oriented to continue the previous one; t_prev = e_lam at the start, so lam increases
first), the predictor is z + h t, and the corrector is Newton on [H(z); t'(z - z_pred)] = 0.
A step is accepted when the corrector converges within a few iterations, its first
correction is smaller than half the step and than max(0.1, 1e-3 |z|), each correction is at
most half the previous one, and the new tangent turns by less than about 18 degrees;
otherwise the step is halved. Accepted steps that converge quickly grow the
next step by ``max_accel``. Folds of the branch in lam are passed like any other point.

Payoffs should be of order one (callers normalise them); lam is then relative to that
normalisation.
"""

from __future__ import annotations

import numpy as np

from .nplayer import offsets, value_jacobian

__all__ = ["logit_response", "logit_residual", "LogitBranch"]


def logit_response(payoffs: np.ndarray, P: np.ndarray, lam: float) -> np.ndarray:
    """The logit response to a batch of flat profiles, shape (B, M)."""
    off = offsets(payoffs.shape[1:])
    values = value_jacobian(payoffs, P, jacobian=False)
    out = np.empty_like(values)
    for i in range(payoffs.shape[0]):
        z = lam * values[:, off[i]:off[i + 1]]
        z = np.exp(z - z.max(axis=1, keepdims=True))
        out[:, off[i]:off[i + 1]] = z / z.sum(axis=1, keepdims=True)
    return out


def logit_residual(payoffs: np.ndarray, P: np.ndarray, lam: float) -> np.ndarray:
    """Fixed-point error max_ij |p_ij - logit response_ij|, shape (B,)."""
    return np.abs(P - logit_response(payoffs, P, lam)).max(axis=1)


class LogitBranch:
    """Predictor-corrector tracer of the principal logit QRE branch (see the module note).

    Attributes ``lam``, ``x`` (log-probabilities, length M) and ``tangent`` describe the
    current point; ``steps`` counts accepted steps and ``h`` is the next step length.
    """

    def __init__(self, payoffs: np.ndarray, *, first_step: float = 0.1,
                 max_accel: float = 2.0, min_step: float = 1e-12, max_newton: int = 8,
                 newton_tol: float = 1e-11):
        self.payoffs = np.asarray(payoffs, dtype=float)
        self.num_actions = self.payoffs.shape[1:]
        self.n = self.payoffs.shape[0]
        self.off = offsets(self.num_actions)
        self.M = int(self.off[-1])
        self.owner = np.repeat(np.arange(self.n), self.num_actions)
        # the equations in matrix form: D picks x_ij - x_i0 (rows j >= 1 of each player's
        # block), S sums a player's probabilities (row 0 of its block)
        first = self.off[:-1]
        self.D = np.zeros((self.M, self.M))
        self.S = np.zeros((self.M, self.M))
        for c in range(self.M):
            i = self.owner[c]
            if c == first[i]:
                self.S[c, self.off[i]:self.off[i + 1]] = 1.0
            else:
                self.D[c, c] = 1.0
                self.D[c, first[i]] = -1.0
        self.sum_rows = first
        self.h = float(first_step)
        self.max_accel = float(max_accel)
        self.min_step = float(min_step)
        self.max_newton = int(max_newton)
        self.newton_tol = float(newton_tol)
        self.lam = 0.0
        self.x = -np.log(np.repeat(np.asarray(self.num_actions, dtype=float),
                                   self.num_actions))
        self.steps = 0
        t0 = np.zeros(self.M + 1)
        t0[-1] = 1.0
        self.tangent = self._tangent(self.x, self.lam, t0)

    # -- equations ---------------------------------------------------------------------------
    def equations(self, x: np.ndarray, lam: float, *, jacobian: bool = True):
        """H(x, lam) (length M) and, when asked, its Jacobian (M x (M + 1)); non-finite
        entries (a predictor far off the branch overflows exp) are left for the caller to
        reject."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self._equations(x, lam, jacobian)

    def _equations(self, x: np.ndarray, lam: float, jacobian: bool):
        p = np.exp(x)
        if jacobian:
            values, Jv = value_jacobian(self.payoffs, p[None])
            values, Jv = values[0], Jv[0]
        else:
            values = value_jacobian(self.payoffs, p[None], jacobian=False)[0]
        dv = self.D @ values
        H = self.D @ x - lam * dv + self.S @ p
        H[self.sum_rows] -= 1.0
        if not jacobian:
            return H
        J = np.empty((self.M, self.M + 1))
        J[:, :self.M] = self.D - lam * (self.D @ (Jv * p[None, :])) + self.S * p[None, :]
        J[:, self.M] = -dv
        return H, J

    def _tangent(self, x, lam, previous):
        return self._null_direction(self.equations(x, lam)[1], previous)

    def _null_direction(self, J, previous):
        A = np.vstack([J, previous[None]])
        rhs = np.zeros(self.M + 1)
        rhs[-1] = 1.0
        try:
            t = np.linalg.solve(A, rhs)
        except np.linalg.LinAlgError:  # a bifurcation point: the least-squares direction
            t = np.linalg.lstsq(A, rhs, rcond=None)[0]
        return t / np.linalg.norm(t)

    # -- stepping ----------------------------------------------------------------------------
    def advance(self) -> bool:
        """Take one accepted step; False when the step length fell below ``min_step``."""
        while self.h >= self.min_step:
            accepted = self._try(self.h)
            if accepted is not None:
                z, t, iters = accepted
                self.x, self.lam, self.tangent = z[:-1], float(z[-1]), t
                self.steps += 1
                if iters <= 4:
                    self.h *= self.max_accel
                return True
            self.h *= 0.5
        return False

    def _try(self, h: float):
        z0 = np.append(self.x, self.lam)
        t0 = self.tangent
        pred = z0 + h * t0
        z = pred.copy()
        first = None
        for it in range(1, self.max_newton + 1):
            H, J = self.equations(z[:-1], z[-1])
            if not np.all(np.isfinite(H)):
                return None
            A = np.vstack([J, t0[None]])
            rhs = -np.append(H, t0 @ (z - pred))
            try:
                dz = np.linalg.solve(A, rhs)
            except np.linalg.LinAlgError:
                return None
            size = float(np.abs(dz).max())
            if first is None:
                first = size
                # a long first correction means the predictor left the branch's
                # neighbourhood (and may converge onto another branch)
                if size > min(0.5 * h, max(0.1, 1e-3 * float(np.abs(z0).max()))):
                    return None
            elif size > 0.5 * previous:
                return None               # not contracting: the step is too long
            previous = size
            z = z + dz
            if size <= self.newton_tol * max(1.0, float(np.abs(z).max())):
                break
        else:
            return None
        H, J = self.equations(z[:-1], z[-1])
        if not np.abs(H).max() <= 1e3 * self.newton_tol or z[-1] < 0:
            return None
        t = self._null_direction(J, t0)
        if t @ t0 < 0.95:
            return None
        return z, t, it

    def solve_at(self, lam: float, x0: np.ndarray, *, max_iter: int = 30):
        """Newton in x with lam fixed, from x0: (x, converged)."""
        x = np.array(x0, dtype=float)
        for _ in range(max_iter):
            H, J = self.equations(x, lam)
            if not np.all(np.isfinite(H)):
                return x, False
            try:
                dx = np.linalg.solve(J[:, :self.M], -H)
            except np.linalg.LinAlgError:
                return x, False
            x = x + dx
            if np.abs(dx).max() <= self.newton_tol * max(1.0, float(np.abs(x).max())):
                H = self.equations(x, lam, jacobian=False)
                return x, bool(np.abs(H).max() <= 1e3 * self.newton_tol)
        return x, False

    def move_to(self, x: np.ndarray, lam: float) -> None:
        """Return to a point of the branch (one visited before), keeping the orientation."""
        self.x, self.lam = np.array(x, dtype=float), float(lam)
        self.tangent = self._tangent(self.x, self.lam, self.tangent)

    @property
    def profile(self) -> np.ndarray:
        """The current probabilities, normalised per player (length M)."""
        p = np.exp(self.x)
        sums = np.bincount(self.owner, weights=p, minlength=self.n)
        return p / sums[self.owner]
