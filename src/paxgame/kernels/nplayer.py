"""Mixed profiles of N-player games on stacked arrays: action values, their Jacobian, and the
support (indifference) systems solved by batched Newton.

Layout
------
``payoffs`` has shape (N, m_1, ..., m_N). A batch of B mixed profiles is stored flat, shape
(B, M) with M = m_1 + ... + m_N: player k's probabilities are the columns
``off[k]:off[k + 1]`` where ``off = offsets(num_actions)``. A support profile is a boolean
mask of the same shape.

Numerics
--------
The value of action j of player i against the others' mixtures is multilinear in the
others' probabilities, so its derivative with respect to p_kl (k != i) is the payoff of
(j, l) to i with the remaining players mixing: one ``einsum`` per ordered pair (i, k). The
value Jacobian therefore costs N (N - 1) contractions of a payoff array, and the values
themselves follow from one block of it.

On a support profile S the equilibrium conditions are polynomial: each player is
indifferent among its support actions (value w_i) and its probabilities on S_i sum to one,
with zero outside S_i. That square system, (M + N) unknowns (p, w), is solved by Newton's
method from given starting points, all systems of a batch at once (``numpy.linalg.solve`` on
stacked matrices, with a pseudo-inverse for singular ones). Newton from finitely many starts
finds some, not necessarily all, solutions of a polynomial system: callers say so.
"""

from __future__ import annotations

import string

import numpy as np

__all__ = ["offsets", "value_jacobian", "regrets", "support_masks", "prune_dominated",
           "support_newton", "isolated", "normalise", "polish"]

_AXES = string.ascii_lowercase[:25]


def offsets(num_actions) -> np.ndarray:
    """Start of each player's block in a flat profile, length N + 1."""
    return np.concatenate([[0], np.cumsum(num_actions)]).astype(int)


def _pair_block(payoffs: np.ndarray, S: list[np.ndarray], i: int, k: int) -> np.ndarray:
    """(B, m_i, m_k): payoff to i of (j, l) for i's action j and k's action l, others mixing."""
    n = payoffs.shape[0]
    B = S[0].shape[0]
    others = [h for h in range(n) if h not in (i, k)]
    if not others:
        block = payoffs[i] if i < k else payoffs[i].T
        return np.broadcast_to(block, (B,) + block.shape)
    axes = _AXES[:n]
    spec = axes + "," + ",".join("Z" + axes[h] for h in others) + "->Z" + axes[i] + axes[k]
    # one pass over the payoff array per batch item; einsum's contraction planning costs
    # more than it saves at these sizes
    return np.einsum(spec, payoffs[i], *[S[h] for h in others], optimize=False)


def value_jacobian(payoffs: np.ndarray, P: np.ndarray, *, jacobian: bool = True):
    """Action values of a batch of flat profiles and their derivatives.

    Parameters
    ----------
    payoffs : ndarray, shape (N, m_1, ..., m_N)
    P : ndarray, shape (B, M)
        Flat mixed profiles.
    jacobian : bool
        Also return the Jacobian.

    Returns
    -------
    values : ndarray, shape (B, M)
        values[b, off[i] + j] = payoff to i of action j against the others' mixtures.
    J : ndarray, shape (B, M, M)
        J[b, off[i] + j, off[k] + l] = d values[b, off[i] + j] / d P[b, off[k] + l]
        (zero when k == i). Only when ``jacobian``.
    """
    n = payoffs.shape[0]
    m = payoffs.shape[1:]
    off = offsets(m)
    B, M = P.shape
    S = [P[:, off[k]:off[k + 1]] for k in range(n)]
    values = np.empty((B, M))
    J = np.zeros((B, M, M)) if jacobian else None
    for i in range(n):
        ks = [k for k in range(n) if k != i] if jacobian else [0 if i else 1]
        for k in ks:
            block = _pair_block(payoffs, S, i, k)
            if jacobian:
                J[:, off[i]:off[i + 1], off[k]:off[k + 1]] = block
            if k == ks[0]:
                values[:, off[i]:off[i + 1]] = np.einsum("zjl,zl->zj", block, S[k])
    return (values, J) if jacobian else values


def regrets(payoffs: np.ndarray, P: np.ndarray) -> np.ndarray:
    """Per-player regret (best-response value minus expected payoff), shape (B, N)."""
    off = offsets(payoffs.shape[1:])
    values = value_jacobian(payoffs, P, jacobian=False)
    out = np.empty((P.shape[0], payoffs.shape[0]))
    for i in range(payoffs.shape[0]):
        v = values[:, off[i]:off[i + 1]]
        out[:, i] = v.max(axis=1) - np.einsum("zj,zj->z", v, P[:, off[i]:off[i + 1]])
    return out


def support_masks(num_actions) -> np.ndarray:
    """Every support profile (one non-empty action set per player) as flat masks, (K, M).

    Ordered by total support size, then by the players' subsets (balanced supports of small
    size first, as in Porter, Nudelman & Shoham 2008).
    """
    per_player = []
    for m in num_actions:
        codes = np.arange(1, 2 ** m)
        per_player.append(((codes[:, None] >> np.arange(m)) & 1).astype(bool))
    grids = np.meshgrid(*[np.arange(len(s)) for s in per_player], indexing="ij")
    index = np.stack([g.ravel() for g in grids], axis=1)
    masks = np.concatenate([s[index[:, k]] for k, s in enumerate(per_player)], axis=1)
    sizes = np.stack([s.sum(axis=1)[index[:, k]] for k, s in enumerate(per_player)], axis=1)
    order = np.lexsort((sizes.max(axis=1) - sizes.min(axis=1), sizes.sum(axis=1)))
    return masks[order]


def prune_dominated(payoffs: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """Keep the support profiles with no conditionally strictly dominated support action.

    Action a of player i is conditionally dominated given the others' supports when some
    action a' earns strictly more than a against every pure profile of the others drawn
    from their supports (Porter, Nudelman & Shoham 2008); no equilibrium has such a support.
    Returns a boolean array, shape (K,).
    """
    n = payoffs.shape[0]
    m = payoffs.shape[1:]
    off = offsets(m)
    keep = np.ones(masks.shape[0], dtype=bool)
    for i in range(n):
        u = np.moveaxis(payoffs[i], i, 0).reshape(m[i], -1)         # (m_i, others)
        gain = u[None, :, :] - u[:, None, :]                         # [a, a', s] = u(a') - u(a)
        others = [k for k in range(n) if k != i]
        # mask over the others' pure profiles, in the same C order as u's columns
        omask = np.ones((masks.shape[0], 1), dtype=bool)
        for k in others:
            mk = masks[:, off[k]:off[k + 1]]
            omask = (omask[:, :, None] & mk[:, None, :]).reshape(masks.shape[0], -1)
        worst = np.where(omask[:, None, None, :], gain[None], np.inf).min(axis=3)  # (K,a,a')
        dominated = (worst > 0).any(axis=2)                          # (K, m_i)
        keep &= ~(dominated & masks[:, off[i]:off[i + 1]]).any(axis=1)
    return keep


def _solve(Jac: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Newton steps of a batch of square systems; minimum-norm steps for the singular ones."""
    try:
        return np.linalg.solve(Jac, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:  # some system is singular: those get least-squares steps
        sign, _ = np.linalg.slogdet(Jac)
        regular = sign != 0
        out = np.empty_like(rhs)
        if regular.any():
            out[regular] = np.linalg.solve(Jac[regular], rhs[regular][..., None])[..., 0]
        singular = np.flatnonzero(~regular)
        if singular.size:
            out[singular] = (np.linalg.pinv(Jac[singular]) @ rhs[singular][..., None])[..., 0]
        return out


def _jacobian(J: np.ndarray, masks: np.ndarray, E: np.ndarray) -> np.ndarray:
    """Jacobian of the support systems in (p, w), shape (B, M + N, M + N)."""
    B, M = masks.shape
    n = E.shape[1]
    Jac = np.zeros((B, M + n, M + n))
    Jac[:, :M, :M] = np.where(masks[:, :, None], J, np.eye(M)[None])
    Jac[:, :M, M:] = np.where(masks[:, :, None], -E[None], 0.0)
    Jac[:, M:, :M] = np.where(masks[:, None, :], E.T[None], 0.0)
    return Jac


def isolated(payoffs: np.ndarray, masks: np.ndarray, P: np.ndarray,
             cond_limit: float = 1e10) -> np.ndarray:
    """Whether each solution of its support system is isolated: the system's Jacobian at P is
    regular (condition number below ``cond_limit``). A singular one means the equilibrium
    lies in a continuum of solutions of that system. Shape (B,)."""
    n = payoffs.shape[0]
    M = masks.shape[1]
    E = np.zeros((M, n))
    E[np.arange(M), np.repeat(np.arange(n), payoffs.shape[1:])] = 1.0
    _, J = value_jacobian(payoffs, P)
    return np.linalg.cond(_jacobian(J, masks, E)) < cond_limit


def support_newton(payoffs: np.ndarray, masks: np.ndarray, start: np.ndarray, *,
                   max_iter: int = 50, tol: float = 1e-12):
    """Solve the indifference system of each support profile by Newton's method.

    Parameters
    ----------
    payoffs : ndarray, shape (N, m_1, ..., m_N)
        Payoffs of order one (callers scale them).
    masks : ndarray of bool, shape (B, M)
        The support profile of each system.
    start : ndarray, shape (B, M)
        Starting probabilities (entries outside the mask are ignored).
    max_iter : int
        Newton iterations at most.
    tol : float
        Convergence: every equation holds within tol.

    Returns
    -------
    P : ndarray, shape (B, M)
        The Newton iterate, zero outside the support.
    residual : ndarray, shape (B,)
        Largest equation error at the returned iterate.
    converged : ndarray of bool, shape (B,)
        Residual within tol and every support probability >= -tol.
    """
    n = payoffs.shape[0]
    m = payoffs.shape[1:]
    off = offsets(m)
    B, M = masks.shape
    owner = np.repeat(np.arange(n), m)                                # player of each column
    E = np.zeros((M, n))
    E[np.arange(M), owner] = 1.0                                      # column -> player
    P = np.where(masks, start, 0.0)
    w = np.zeros((B, n))
    vals = value_jacobian(payoffs, P, jacobian=False)
    for i in range(n):
        w[:, i] = (vals[:, off[i]:off[i + 1]] * P[:, off[i]:off[i + 1]]).sum(axis=1)
    residual = np.full(B, np.inf)
    best = np.full(B, np.inf)      # best residual so far and the iteration it was reached
    since = np.zeros(B, dtype=int)
    active = np.arange(B)
    for _ in range(max_iter):
        if active.size == 0:
            break
        Pa, wa, Ma = P[active], w[active], masks[active]
        vals, J = value_jacobian(payoffs, Pa)
        F = np.empty((active.size, M + n))
        F[:, :M] = np.where(Ma, vals - wa @ E.T, Pa)
        F[:, M:] = (np.where(Ma, Pa, 0.0)) @ E - 1.0
        res = np.abs(F).max(axis=1)
        residual[active] = res
        improved = res <= 0.5 * best[active]
        best[active] = np.where(improved, res, best[active])
        since[active] = np.where(improved, 0, since[active] + 1)
        done = res <= tol
        if done.all():
            break
        # Newton converges fast near a solution; an iterate that has not halved its residual
        # in six iterations is wandering: stop it (it is reported as not converged)
        stuck = ~done & (since[active] >= 6)
        if stuck.any():
            keep = ~stuck
            active, Pa, wa, Ma = active[keep], Pa[keep], wa[keep], Ma[keep]
            vals, J, F, done = vals[keep], J[keep], F[keep], done[keep]
            if active.size == 0:
                break
        step = _solve(_jacobian(J, Ma, E), -F)
        Pn = np.where(Ma, Pa + step[:, :M], 0.0)
        wn = wa + step[:, M:]
        bad = ~np.isfinite(Pn).all(axis=1) | (np.abs(Pn).max(axis=1) > 1e6)
        upd = ~done & ~bad
        P[active[upd]] = Pn[upd]
        w[active[upd]] = wn[upd]
        residual[active[bad]] = np.inf
        active = active[upd]
    if active.size:  # final residual of the systems still iterating
        Pa, wa, Ma = P[active], w[active], masks[active]
        vals = value_jacobian(payoffs, Pa, jacobian=False)
        F = np.concatenate([np.where(Ma, vals - wa @ E.T, Pa),
                            np.where(Ma, Pa, 0.0) @ E - 1.0], axis=1)
        residual[active] = np.abs(F).max(axis=1)
    converged = (residual <= tol) & (np.where(masks, P, 0.0).min(axis=1) >= -tol)
    return P, residual, converged


def normalise(P: np.ndarray, num_actions) -> np.ndarray:
    """Clip negative entries of flat profiles to zero and rescale each player's block to sum
    one (a block that is all zero becomes uniform)."""
    off = offsets(num_actions)
    P = np.clip(P, 0.0, None)
    out = np.empty_like(P)
    for i in range(len(num_actions)):
        block = P[:, off[i]:off[i + 1]]
        total = block.sum(axis=1, keepdims=True)
        out[:, off[i]:off[i + 1]] = np.where(total > 0, block / np.where(total > 0, total, 1),
                                             1.0 / block.shape[1])
    return out


def polish(payoffs: np.ndarray, p: np.ndarray, regret_tol: np.ndarray, *,
           thresholds=(1e-2, 1e-4, 1e-6, 1e-9), max_iter: int = 50):
    """Equilibria near an approximate one: Newton on the supports read off ``p``.

    For each threshold, player i's support is the actions whose probability is at least
    threshold x its largest probability; the indifference system of that support profile is
    solved by Newton from ``p`` (:func:`support_newton`).

    Returns
    -------
    P : ndarray, shape (K, M)
        The polished profiles (one per distinct support profile), normalised.
    ok : ndarray of bool, shape (K,)
        Newton converged and every player's regret is within ``regret_tol`` (shape (N,)).
    distance : ndarray, shape (K,)
        Largest probability change from ``p``.
    regular : ndarray of bool, shape (K,)
        The support system is regular at the polished point (:func:`isolated`).
    """
    m = payoffs.shape[1:]
    off = offsets(m)
    masks = []
    for thr in thresholds:
        mask = np.zeros(p.size, dtype=bool)
        for i in range(len(m)):
            block = p[off[i]:off[i + 1]]
            mask[off[i]:off[i + 1]] = block >= thr * block.max()
        masks.append(mask)
    masks = np.unique(np.array(masks), axis=0)
    start = normalise(np.where(masks, p[None], 0.0), m)
    P, _, converged = support_newton(payoffs, masks, start, max_iter=max_iter)
    P = normalise(np.where(masks, P, 0.0), m)
    ok = converged & (regrets(payoffs, P) <= regret_tol[None]).all(axis=1)
    return P, ok, np.abs(P - p[None]).max(axis=1), isolated(payoffs, masks, P)
