"""Transferable-utility (TU) coalition games: the characteristic function and its checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np

from .._validation import as_float_array, check_names, check_tolerance, did_you_mean

__all__ = ["TUGame", "MAX_PLAYERS", "MAX_FUNCTION_PLAYERS"]

#: Largest number of players a TUGame holds (2**26 values = 512 MiB of float64).
MAX_PLAYERS = 26

#: Largest number of players of a game given by a value function: the function is called
#: once per coalition from Python, 2**20 - 1 = 1,048,575 calls (a few seconds); above that,
#: pass the worths as an array computed with numpy over the bitmasks.
MAX_FUNCTION_PLAYERS = 20


def _default_names(n: int) -> tuple[str, ...]:
    return tuple(str(i + 1) for i in range(n))


class TUGame:
    """A cooperative game with transferable utility, immutable.

    The characteristic function v assigns a worth to every coalition S of the players
    N = {0, ..., n-1}; coalitions are bitmasks (bit i set means player i is a member), so
    ``values[0b101]`` is v({0, 2}).

    Parameters
    ----------
    values : array_like, mapping or callable
        * an array of length 2**n indexed by coalition bitmask, with ``values[0] == 0``;
        * a mapping from coalitions to worths, a coalition being a tuple, list, set or
          frozenset of player indices or player names (``players`` is then required when
          names are used, or to fix n when indices are); coalitions left out are worth 0;
        * a function ``f(coalition) -> float`` called with a frozenset of player indices
          for every non-empty coalition (``players`` required: names or a count).
    players : sequence of str or int, optional
        Distinct player names (default ``"1", ..., "n"``), or the number of players.
    name : str, optional
        A title for the game.

    Raises
    ------
    TypeError
        Values that are a single number rather than an array, mapping or function;
        non-numeric worths, coalitions that are not collections, names that are not strings.
    ValueError
        A length that is not a power of two, v(empty) != 0, non-finite worths, unknown players
        or indices outside 0..n-1 in a coalition, more than ``MAX_PLAYERS`` players, a value
        function with more than ``MAX_FUNCTION_PLAYERS`` players (refused before the first
        call: it would be called 2**n - 1 times).

    Examples
    --------
    >>> import paxgame as pg
    >>> tu = pg.TUGame([0, 1, 1, 3], players=["A", "B"])
    >>> tu.value(("A", "B"))
    3.0
    >>> pg.TUGame({("A",): 1, ("B",): 1, ("A", "B"): 3}, players=["A", "B"]) == tu
    True
    >>> tu.is_superadditive(), tu.is_convex(), tu.veto_players()
    (True, True, ())
    """

    __slots__ = ("_values", "_players", "_name")

    def __init__(self, values, players=None, *, name: str = ""):
        func = "TUGame"
        if isinstance(values, TUGame):
            if players is None:
                players = values.players
            values = values.values
        if not isinstance(name, str):
            raise TypeError(f"{func}: name must be a string, got {type(name).__name__}")
        count = None
        names = None
        if isinstance(players, np.ndarray) and players.ndim == 0:
            players = players.item()   # a 0-d array: its one element (a count, or rejected)
        if isinstance(players, (int, np.integer)) and not isinstance(players, bool):
            count = int(players)
            if count < 1:
                raise ValueError(f"{func}: players must be at least 1, got {count}")
        elif players is not None:
            if isinstance(players, str) or not isinstance(players, Iterable):
                raise TypeError(f"{func}: players must be a sequence of names or a count, "
                                f"got {type(players).__name__}")
            players = list(players)
            names = check_names(func, "players", players, len(players))
            count = len(names)
            if count < 1:
                raise ValueError(f"{func}: a game needs at least one player")
        if count is not None and count > MAX_PLAYERS:
            raise ValueError(f"{func}: at most {MAX_PLAYERS} players are supported, got {count}")

        if isinstance(values, Mapping):
            arr = self._from_mapping(func, values, count, names)
        elif callable(values) and not isinstance(values, np.ndarray):
            if count is None:
                raise ValueError(f"{func}: a value function needs players (names or a count)")
            if count > MAX_FUNCTION_PLAYERS:
                raise ValueError(
                    f"{func}: a value function is called once per coalition, {2 ** count - 1} "
                    f"times for {count} players; at most {MAX_FUNCTION_PLAYERS} players are "
                    f"supported (MAX_FUNCTION_PLAYERS); pass the worths as an array of length "
                    f"2**n instead")
            arr = self._from_function(func, values, count)
        else:
            if isinstance(values, (int, float, complex, np.number, np.bool_)) or (
                    isinstance(values, np.ndarray) and values.ndim == 0):
                hint = (f"; for {int(values)} players pass players={int(values)}"
                        if isinstance(values, (int, np.integer)) and
                        not isinstance(values, bool) else "")
                raise TypeError(f"{func}: values must be an array of 2**n worths, a mapping or "
                                f"a function, got the single number {values!r}{hint}")
            arr = as_float_array(func, "values", values, ndim=1)
        size = arr.shape[0]
        n = size.bit_length() - 1
        if size < 2 or (1 << n) != size:
            raise ValueError(f"{func}: values must have length 2**n for n >= 1 players, "
                             f"got length {size}")
        if n > MAX_PLAYERS:
            raise ValueError(f"{func}: at most {MAX_PLAYERS} players are supported, got {n}")
        if count is not None and count != n:
            raise ValueError(f"{func}: values has length {size} = 2**{n} ({n} players), but "
                             f"players gives {count}")
        if arr[0] != 0.0:
            raise ValueError(f"{func}: the empty coalition must be worth 0, got {arr[0]}")
        arr.setflags(write=False)
        self._values = arr
        self._players = names if names is not None else _default_names(n)
        self._name = name

    # -- construction helpers ------------------------------------------------------------
    @staticmethod
    def _member_index(func, member, count, names) -> int:
        if isinstance(member, str):
            if names is None:
                raise ValueError(f"{func}: coalition member {member!r} is a name, but no "
                                 f"player names were given")
            if member not in names:
                extra = did_you_mean(member, names)
                raise ValueError(f"{func}: unknown player {member!r} in a coalition{extra}")
            return names.index(member)
        if isinstance(member, (int, np.integer)) and not isinstance(member, bool):
            idx = int(member)
            if idx < 0 or (count is not None and idx >= count):
                limit = "n-1" if count is None else str(count - 1)
                raise ValueError(f"{func}: player index {idx} in a coalition lies outside "
                                 f"0..{limit}")
            return idx
        raise TypeError(f"{func}: coalition members must be player indices or names, "
                        f"got {type(member).__name__}")

    @classmethod
    def _from_mapping(cls, func, mapping, count, names) -> np.ndarray:
        coalitions = []
        for key, worth in mapping.items():
            if isinstance(key, (str, bytes)) or not isinstance(key, Iterable):
                raise TypeError(f"{func}: a coalition must be a tuple, list, set or frozenset "
                                f"of players, got {key!r}")
            members = [cls._member_index(func, m, count, names) for m in key]
            if len(set(members)) != len(members):
                raise ValueError(f"{func}: coalition {tuple(key)!r} lists a player twice")
            value = as_float_array(func, f"value of coalition {tuple(key)!r}", worth, ndim=0)
            coalitions.append((members, float(value), key))
        if count is None:
            count = 1 + max((max(m) for m, _, _ in coalitions if m), default=0)
        if count > MAX_PLAYERS:
            raise ValueError(f"{func}: at most {MAX_PLAYERS} players are supported, got {count}")
        arr = np.zeros(1 << count, dtype=np.float64)
        seen: dict[int, object] = {}
        for members, value, key in coalitions:
            mask = 0
            for m in members:
                mask |= 1 << m
            if mask in seen:
                raise ValueError(f"{func}: coalitions {tuple(seen[mask])!r} and {tuple(key)!r} "
                                 f"are the same coalition")
            seen[mask] = key
            if mask == 0 and value != 0.0:
                raise ValueError(f"{func}: the empty coalition must be worth 0, got {value}")
            arr[mask] = value
        return arr

    @staticmethod
    def _from_function(func, f: Callable, count: int) -> np.ndarray:
        arr = np.zeros(1 << count, dtype=np.float64)
        for mask in range(1, 1 << count):
            members = frozenset(i for i in range(count) if (mask >> i) & 1)
            worth = f(members)
            if isinstance(worth, bool) or not isinstance(worth, (int, float, np.integer,
                                                                 np.floating)):
                raise TypeError(f"{func}: the value function returned "
                                f"{type(worth).__name__} for coalition {sorted(members)}")
            arr[mask] = float(worth)
            if not np.isfinite(arr[mask]):
                raise ValueError(f"{func}: the value of coalition {sorted(members)} must be "
                                 f"finite, got {arr[mask]}")
        return arr

    # -- data ------------------------------------------------------------------------------
    @property
    def values(self) -> np.ndarray:
        """Worths by coalition bitmask, shape (2**n,), read-only."""
        return self._values

    @property
    def players(self) -> tuple[str, ...]:
        """Player names."""
        return self._players

    @property
    def num_players(self) -> int:
        """The number of players n."""
        return len(self._players)

    @property
    def name(self) -> str:
        """The game's title (may be empty)."""
        return self._name

    @property
    def grand_coalition(self) -> int:
        """The bitmask of N, 2**n - 1."""
        return (1 << self.num_players) - 1

    def mask(self, coalition, *, _func: str = "TUGame.mask") -> int:
        """The bitmask of a coalition given by player indices or names (or an int mask)."""
        func = _func
        if isinstance(coalition, (int, np.integer)) and not isinstance(coalition, bool):
            mask = int(coalition)
            if not 0 <= mask <= self.grand_coalition:
                raise ValueError(f"{func}: bitmask {mask} lies outside "
                                 f"0..{self.grand_coalition}")
            return mask
        if isinstance(coalition, (str, bytes)) or not isinstance(coalition, Iterable):
            raise TypeError(f"{func}: a coalition must be a collection of players or a "
                            f"bitmask, got {type(coalition).__name__}")
        mask = 0
        for m in coalition:
            mask |= 1 << self._member_index(func, m, self.num_players, self._players)
        return mask

    def members(self, mask: int) -> tuple[str, ...]:
        """Names of the members of the coalition with bitmask ``mask``."""
        return tuple(p for i, p in enumerate(self._players) if (int(mask) >> i) & 1)

    def value(self, coalition) -> float:
        """v(S) for a coalition given by indices, names or bitmask."""
        return float(self._values[self.mask(coalition, _func="TUGame.value")])

    def __eq__(self, other) -> bool:
        if not isinstance(other, TUGame):
            return NotImplemented
        return self._players == other._players and np.array_equal(self._values, other._values)

    def __hash__(self):
        return hash((self._players, self._values.tobytes()))

    def __repr__(self) -> str:
        title = f"{self._name!r}, " if self._name else ""
        return f"TUGame({title}{self.num_players} players, v(N) = {self._values[-1]:g})"

    # -- properties --------------------------------------------------------------------------
    def is_superadditive(self, tol: float = 1e-9) -> bool:
        """True when v(S | T) >= v(S) + v(T) - tol for all disjoint S, T.

        Checks every pair (3**n of them) in vectorised blocks; practical up to n of about 16.
        """
        tol = check_tolerance("TUGame.is_superadditive", tol)
        n = self.num_players
        v = self._values
        low = min(n, 11)
        # all (T, U) pairs of disjoint subsets of the low players, by ternary enumeration
        t = np.zeros(1, dtype=np.int64)
        u = np.zeros(1, dtype=np.int64)
        for i in range(low):
            b = 1 << i
            t, u = np.concatenate([t, t | b, t]), np.concatenate([u, u, u | b])
        for code in range(3 ** (n - low)):
            th = uh = 0
            c = code
            for i in range(low, n):
                d = c % 3
                c //= 3
                if d == 1:
                    th |= 1 << i
                elif d == 2:
                    uh |= 1 << i
            tt, uu = t | th, u | uh
            if np.any(v[tt | uu] < v[tt] + v[uu] - tol):
                return False
        return True

    def is_convex(self, tol: float = 1e-9) -> bool:
        """True when v is supermodular: v(S+i+j) - v(S+i) - v(S+j) + v(S) >= -tol for all S
        and players i != j outside S (equivalent to v(S|T) + v(S&T) >= v(S) + v(T))."""
        tol = check_tolerance("TUGame.is_convex", tol)
        n = self.num_players
        v = self._values
        shape = (2,) * n  # axis a holds bit n-1-a
        cube = v.reshape(shape)
        for i in range(n):
            for j in range(i + 1, n):
                ai, aj = n - 1 - i, n - 1 - j
                idx = [slice(None)] * n

                def pick(bi, bj):
                    idx[ai], idx[aj] = bi, bj
                    return cube[tuple(idx)]
                second = pick(1, 1) - pick(1, 0) - pick(0, 1) + pick(0, 0)
                if np.any(second < -tol):
                    return False
        return True

    def veto_players(self, tol: float = 1e-9) -> tuple[str, ...]:
        """Players without whom no coalition is worth anything: v(S) = 0 (within ``tol``)
        for every S not containing i, while v(N) > 0."""
        tol = check_tolerance("TUGame.veto_players", tol)
        v = self._values
        if v[-1] <= tol:
            return ()
        out = []
        n = self.num_players
        for i in range(n):
            without = v.reshape(-1, 2, 1 << i)[:, 0, :]
            if np.all(np.abs(without) <= tol):
                out.append(self._players[i])
        return tuple(out)

    def to_toml_dict(self) -> dict:
        """The game as a TOML-ready dict (``kind = "tu"``, players, values by bitmask)."""
        out: dict = {"kind": "tu"}
        if self._name:
            out["name"] = self._name
        out["players"] = list(self._players)
        out["values"] = [float(x) for x in self._values]
        return out
