"""The arithmetic of the data-driven attribution models (docs/metrics.md "Data-driven attribution") on
touch paths counted by queries/marts/attribution_paths.sql: Markov-chain removal effects of any order
and path-level Shapley values, each turned into per-path shares so that every converting path's amount
is shared out whole (the credits add up to the bookings like the rule models'), and a seeded bootstrap.
Pure numpy/scipy; no database here."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.sparse import csr_matrix, identity
from scipy.sparse.linalg import spsolve
from scipy.special import comb

Steps = tuple[str, ...]
START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"
EXACT_LIMIT = 15  # Shapley: a path with more distinct values than this is sampled (permutations)
PERMUTATIONS = 2000  # permutations sampled per such path


@dataclass(frozen=True)
class Paths:
    """Distinct paths with their outcome: `steps` (None = a deal without touches), how many paths
    (`count`) and, for converting ones, the amount they booked."""
    steps: list[Steps | None]
    converting: np.ndarray  # bool
    count: np.ndarray  # float
    amount: np.ndarray  # float

    @classmethod
    def of(cls, rows: Sequence[tuple[Sequence[str] | None, bool, float, float]]) -> Paths:
        return cls([tuple(s) if s is not None else None for s, *_ in rows],
                   np.array([bool(r[1]) for r in rows], dtype=bool),
                   np.array([float(r[2]) for r in rows], dtype=float),
                   np.array([float(r[3] or 0.0) for r in rows], dtype=float))

    @cached_property
    def layout(self) -> Layout:
        return Layout.of(self.steps)

    def resized(self, count: np.ndarray) -> Paths:
        """The same paths with other counts (a bootstrap draw); amounts scale with the count."""
        scale = np.divide(count, self.count, out=np.zeros_like(count), where=self.count > 0)
        again = Paths(self.steps, self.converting, count, self.amount * scale)
        again.__dict__["layout"] = self.layout  # the same paths: the same layout
        return again

    @property
    def non_converting(self) -> float:
        return float(self.count[~self.converting].sum())


@dataclass(frozen=True)
class Layout:
    """Where the values sit on the paths, built once per set of paths (bootstrap draws reuse it):
    touches per path and value, each path's first and last value and its set of values."""
    values: list[str]
    touches: csr_matrix  # path row x value: how many touches of the value the path has
    first: np.ndarray  # path row -> value index of its first touch (-1: no touches)
    last: np.ndarray
    combo: np.ndarray  # path row -> index of its set of values (-1: no touches)
    members: np.ndarray  # set x value: bool

    @classmethod
    def of(cls, steps: list[Steps | None]) -> Layout:
        values = sorted({v for s in steps if s for v in s})
        at = {v: i for i, v in enumerate(values)}
        rows, cols, first, last, combo = [], [], [], [], []
        combos: dict[Steps, int] = {}
        for row, path in enumerate(steps):
            if not path:
                first.append(-1)
                last.append(-1)
                combo.append(-1)
                continue
            for v in path:
                rows.append(row)
                cols.append(at[v])
            first.append(at[path[0]])
            last.append(at[path[-1]])
            combo.append(combos.setdefault(_combination(path), len(combos)))
        members = np.zeros((len(combos), len(values)), dtype=bool)
        for key, i in combos.items():
            members[i, [at[v] for v in key]] = True
        touches = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(steps), len(values)))
        touches.sum_duplicates()
        return cls(values, touches, np.array(first, dtype=int), np.array(last, dtype=int),
                   np.array(combo, dtype=int), members)


@dataclass
class Credits:
    """Per value: credited amount, credited conversions, converting paths it is on, sampling variance
    of the amount (Shapley paths beyond EXACT_LIMIT only)."""
    amount: dict[str, float] = field(default_factory=dict)
    conversions: dict[str, float] = field(default_factory=dict)
    paths: dict[str, float] = field(default_factory=dict)
    sampling_var: dict[str, float] = field(default_factory=dict)


NO_TOUCH = "(no touch)"


def _credits(paths: Paths, amount: np.ndarray, conversions: np.ndarray, variance: np.ndarray | None = None) -> Credits:
    """Credits of the values on converting paths, and "(no touch)" for the deals without touches."""
    layout = paths.layout
    won = paths.converting & (paths.count > 0)
    touched = won & (layout.combo >= 0)
    on = (layout.touches[touched] > 0).T @ paths.count[touched]
    keep = np.flatnonzero(on > 0)
    out = Credits({layout.values[i]: float(amount[i]) for i in keep},
                  {layout.values[i]: float(conversions[i]) for i in keep},
                  {layout.values[i]: float(on[i]) for i in keep},
                  {layout.values[i]: float(variance[i]) for i in keep} if variance is not None else {})
    untouched = won & (layout.combo < 0)
    if untouched.any():
        out.amount[NO_TOUCH] = float(paths.amount[untouched].sum())
        out.conversions[NO_TOUCH] = out.paths[NO_TOUCH] = float(paths.count[untouched].sum())
    return out


def _per_touch(paths: Paths, weight: np.ndarray) -> Credits:
    """Each converting path's amount and conversions shared over its touches in proportion to the
    weight of each touch's value (equal shares on a path whose values all weigh 0)."""
    layout = paths.layout
    won = paths.converting & (paths.count > 0) & (layout.combo >= 0)
    touches = layout.touches[won]
    total = touches @ weight
    plain = total <= 0
    length = np.asarray(touches.sum(axis=1)).ravel()
    amount, count = paths.amount[won], paths.count[won]
    weighted = ~plain
    credit = weight * (touches[weighted].T @ (amount[weighted] / total[weighted]))
    credit += touches[plain].T @ (amount[plain] / length[plain])
    converted = weight * (touches[weighted].T @ (count[weighted] / total[weighted]))
    converted += touches[plain].T @ (count[plain] / length[plain])
    return _credits(paths, credit, converted)


# --- Markov chain --------------------------------------------------------------------------------

def _states(steps: Steps, order: int) -> list[Steps]:
    """The chain's states along a path: the last `order` values at each step (fewer at its start)."""
    return [steps[max(0, i - order + 1):i + 1] for i in range(len(steps))]


@dataclass(frozen=True)
class Chain:
    """The chain's structure on a set of paths, built once and reused by every bootstrap draw: the
    transitions each path makes (a state to itself dropped, as ChannelAttribution and the DP6 package
    do, so a repeated value is one visit) and the state each path ends in."""
    states: list[Steps | str]
    sources: np.ndarray  # transition -> from state
    targets: np.ndarray  # transition -> to state
    uses: csr_matrix  # path row x transition: how often the path makes it
    ends: np.ndarray  # path row -> its last state (-1: no touches)

    @classmethod
    def of(cls, paths: Paths, order: int = 1) -> Chain:
        index: dict[Steps | str, int] = {START: 0}
        pairs: dict[tuple[int, int], int] = {}
        rows, cols, ends = [], [], []
        for row, steps in enumerate(paths.steps):
            if not steps:
                ends.append(-1)
                continue
            chain = [0, *(index.setdefault(s, len(index)) for s in _states(steps, order))]
            for a, b in zip(chain, chain[1:]):
                if a != b:
                    rows.append(row)
                    cols.append(pairs.setdefault((a, b), len(pairs)))
            ends.append(chain[-1])
        ab = np.array(list(pairs), dtype=int).reshape(-1, 2)
        uses = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(paths.steps), len(pairs)))
        return cls(list(index), ab[:, 0], ab[:, 1], uses, np.array(ends, dtype=int))


def removal_effects(paths: Paths, order: int = 1, chain: Chain | None = None) -> dict[str, float]:
    """Each value's removal effect: the share of the chain's conversion probability lost when every state
    that holds the value sends its paths to (null)."""
    chain = chain or Chain.of(paths, order)
    size = len(chain.states)
    flows = chain.uses.T @ paths.count
    touched = chain.ends >= 0
    out = np.bincount(chain.sources, weights=flows, minlength=size)
    out += np.bincount(chain.ends[touched], weights=paths.count[touched], minlength=size)
    won = touched & paths.converting
    to_conversion = np.bincount(chain.ends[won], weights=paths.count[won], minlength=size)
    total = np.where(out > 0, out, 1.0)
    q = csr_matrix((flows / total[chain.sources], (chain.sources, chain.targets)), shape=(size, size))
    r = to_conversion / total
    values = sorted({v for s in chain.states if isinstance(s, tuple) for v in s})

    def conversion(keep: np.ndarray) -> float:
        kept = np.flatnonzero(keep)
        sub = q[kept][:, kept]
        x = spsolve((identity(len(kept), format="csc") - sub).tocsc(), r[kept])
        return float(np.atleast_1d(x)[0])  # START is index 0 and always kept

    base = conversion(np.ones(size, dtype=bool))
    if base <= 0:
        return dict.fromkeys(values, 0.0)
    holds = {v: np.array([isinstance(s, tuple) and v in s for s in chain.states], dtype=bool) for v in values}
    return {v: max(0.0, 1.0 - conversion(~holds[v]) / base) for v in values}


def markov_credits(paths: Paths, order: int = 1, chain: Chain | None = None) -> Credits:
    """Each converting path's amount (and its conversions) shared over its touches in proportion to the
    removal effect of each touch's value (per touch, as the DP6 package does)."""
    effect = removal_effects(paths, order, chain)
    return _per_touch(paths, np.array([effect.get(v, 0.0) for v in paths.layout.values]))


# --- Shapley -------------------------------------------------------------------------------------

def _combination(steps: Steps) -> Steps:
    return tuple(sorted(set(steps)))


def _worth(paths: Paths) -> np.ndarray:
    """Per set of values (Layout.members): the conversion rate of the paths that touched exactly that
    set; a set without a conversion is worth 0 (the DP6 definition)."""
    layout = paths.layout
    touched = layout.combo >= 0
    sets = len(layout.members)
    seen = np.bincount(layout.combo[touched], weights=paths.count[touched], minlength=sets)
    won = np.bincount(layout.combo[touched & paths.converting], weights=paths.count[touched & paths.converting],
                      minlength=sets)
    return np.divide(won, seen, out=np.zeros(sets), where=won > 0)


def conversion_rates(paths: Paths) -> dict[Steps, float]:
    """The characteristic function (_worth) keyed by the sorted set of values."""
    layout, worth = paths.layout, _worth(paths)
    return {tuple(layout.values[i] for i in np.flatnonzero(layout.members[c])): float(worth[c])
            for c in np.flatnonzero(worth > 0)}


def _sample(n: int, masks: np.ndarray, worth: np.ndarray, rng: np.random.Generator,
            permutations: int) -> tuple[np.ndarray, np.ndarray]:
    """Shapley values of n players by the mean marginal contribution over random orders; `masks` are the
    coalitions with a worth (bit i = player i, sorted), any other coalition is worth 0."""
    order = np.argsort(rng.random((permutations, n)), axis=1)
    prefix = np.bitwise_or.accumulate(np.left_shift(np.uint64(1), order.astype(np.uint64)), axis=1)
    at = np.clip(np.searchsorted(masks, prefix), 0, max(len(masks) - 1, 0))
    value = np.where(masks[at] == prefix, worth[at], 0.0) if len(masks) else np.zeros(prefix.shape)
    marginal = np.diff(value, axis=1, prepend=0.0)
    draws = np.zeros((permutations, n))
    np.put_along_axis(draws, order, marginal, axis=1)
    return draws.mean(axis=0), draws.std(axis=0, ddof=1) / math.sqrt(permutations)


def shapley(players: Steps, worth: dict[Steps, float], rng: np.random.Generator | None = None,
            exact_limit: int = EXACT_LIMIT, permutations: int = PERMUTATIONS) -> tuple[np.ndarray, np.ndarray]:
    """Shapley values of `players` in the game v(T) = worth[T] (0 when absent) and their sampling
    standard errors (0 when exact). Exact up to `exact_limit` players: the sum over the coalitions that
    have a worth of v(T)·(t-1)!(n-t)!/n! for members and −v(T)·t!(n-t-1)!/n! for the others (equal to the
    2^n enumeration, since every other coalition is worth 0). Beyond, the mean marginal contribution
    over seeded random orders, whose values always add up to v(players) like the exact ones."""
    n = len(players)
    inside = {c: v for c, v in worth.items() if set(c) <= set(players)}
    if n <= exact_limit:
        phi = np.zeros(n)
        for coalition, v in inside.items():
            t = len(coalition)
            member = np.array([p in coalition for p in players])
            phi += np.where(member, v / (t * math.comb(n, t)), -(v / ((n - t) * math.comb(n, t)) if t < n else 0.0))
        return phi, np.zeros(n)
    bit = {p: 1 << i for i, p in enumerate(players)}
    masks = np.array([sum(bit[p] for p in c) for c in inside], dtype=np.uint64)
    values = np.array(list(inside.values()), dtype=float)
    order = np.argsort(masks)
    return _sample(n, masks[order], values[order], rng or np.random.default_rng(0), permutations)


def _shapley_shares(layout: Layout, worth: np.ndarray, wanted: np.ndarray, rng: np.random.Generator,
                    exact_limit: int, block: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """Per set of values in `wanted` (each worth > 0), the shares φ/v(set) over the values and their
    sampling errors, for every set at once (exact ones in blocks of matrix products)."""
    members = layout.members
    sizes = members.sum(axis=1)
    shares = np.zeros(members.shape)
    errors = np.zeros(members.shape)
    coalitions = np.flatnonzero(worth > 0)
    held = members[coalitions].astype(float)
    t = sizes[coalitions][None, :]
    exact = wanted[sizes[wanted] <= exact_limit]
    for lo in range(0, len(exact), block):
        sets = exact[lo:lo + block]
        n = sizes[sets][:, None]
        subset = (held @ (~members[sets]).T.astype(float)).T == 0  # coalition within the set
        ways = np.where(subset, comb(n, np.minimum(t, n)), 1.0)
        gain = np.where(subset, worth[coalitions][None, :] / (t * ways), 0.0)
        loss = np.where(subset & (t < n), worth[coalitions][None, :] / (np.maximum(n - t, 1) * ways), 0.0)
        phi = (gain + loss) @ held - loss.sum(axis=1, keepdims=True)
        shares[sets] = phi * members[sets] / worth[sets][:, None]
    for c in wanted[sizes[wanted] > exact_limit]:
        players = np.flatnonzero(members[c])
        within = coalitions[~members[coalitions][:, ~members[c]].any(axis=1)]
        if len(players) > 63:  # beyond a 64-bit mask: by name, the slow way
            names = tuple(layout.values[i] for i in players)
            worth_by = {tuple(layout.values[i] for i in np.flatnonzero(members[k])): worth[k] for k in within}
            phi, se = shapley(names, worth_by, rng, exact_limit)
        else:
            local = members[within][:, players]
            masks = (local * (np.uint64(1) << np.arange(len(players), dtype=np.uint64))).sum(axis=1).astype(np.uint64)
            order = np.argsort(masks)
            phi, se = _sample(len(players), masks[order], worth[within][order], rng, PERMUTATIONS)
        shares[c, players] = phi / worth[c]
        errors[c, players] = se / worth[c]
    # a value whose Shapley value on a set is negative (the paths with it convert less) takes no share of
    # that set's deals; the others share them in proportion (equally when none is positive)
    kept = np.clip(shares[wanted], 0.0, None)
    total = kept.sum(axis=1, keepdims=True)
    plain = members[wanted] / sizes[wanted][:, None]
    scale = np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)
    shares[wanted] = np.where(total > 0, kept * scale, plain)
    errors[wanted] = np.where(total > 0, errors[wanted] * scale * (kept > 0), 0.0)
    return shares, errors


def shapley_credits(paths: Paths, seed: int = 0, exact_limit: int = EXACT_LIMIT) -> Credits:
    """Each converting path's amount shared over the distinct values it touched by their Shapley values
    in the game of conversion rates (conversion_rates), normalised to the path (the DP6 package's
    conv_rate weighting). Unlike DP6, a negative Shapley value (the paths with the value convert less)
    takes no share rather than a negative one, so every credit lies between 0 and the deal's amount."""
    layout = paths.layout
    worth = _worth(paths)
    won = paths.converting & (paths.count > 0) & (layout.combo >= 0)
    sets = len(layout.members)
    amount = np.bincount(layout.combo[won], weights=paths.amount[won], minlength=sets)
    count = np.bincount(layout.combo[won], weights=paths.count[won], minlength=sets)
    wanted = np.flatnonzero((count > 0) & (worth > 0))
    shares, errors = _shapley_shares(layout, worth, wanted, np.random.default_rng(seed), exact_limit)
    # the paths of one set share one estimate: their sampling errors add up, not in quadrature
    return _credits(paths, amount @ shares, count @ shares, ((amount[:, None] * errors) ** 2).sum(axis=0))


# --- the rule models that need nothing but the path, and stability ----------------------------------

RULES = ("first_touch", "last_touch", "linear")


def rule_credits(model: str, paths: Paths) -> Credits:
    layout = paths.layout
    if model == "linear":
        return _per_touch(paths, np.zeros(len(layout.values)))  # all weights 0: equal shares
    won = paths.converting & (paths.count > 0) & (layout.combo >= 0)
    at = (layout.first if model == "first_touch" else layout.last)[won]
    size = len(layout.values)
    return _credits(paths, np.bincount(at, weights=paths.amount[won], minlength=size),
                    np.bincount(at, weights=paths.count[won], minlength=size))


def credits_of(model: str, paths: Paths, order: int = 1, seed: int = 0, chain: Chain | None = None) -> Credits:
    if model in RULES:
        return rule_credits(model, paths)
    if model == "markov":
        return markov_credits(paths, order, chain)
    if model == "shapley":
        return shapley_credits(paths, seed)
    raise ValueError(f"unknown data-driven model {model!r}")


def bootstrap(model: str, paths: Paths, draws: int, order: int = 1, seed: int = 0,
              level: float = 0.95) -> dict[str, tuple[float, float]]:
    """Percentile intervals of each value's credited amount over `draws` resamples of the paths (all
    paths, converting or not, drawn with replacement; seeded)."""
    rng = np.random.default_rng(seed)
    total = paths.count.sum()
    if draws <= 0 or total <= 0:
        return {}
    p = paths.count / total
    chain = Chain.of(paths, order) if model == "markov" else None
    runs: list[dict[str, float]] = []
    for _ in range(draws):
        again = paths.resized(rng.multinomial(int(round(total)), p).astype(float))
        runs.append(credits_of(model, again, order, seed, chain).amount)
    values = sorted({v for run in runs for v in run})
    tail = (1 - level) / 2 * 100
    out = {}
    for v in values:
        sample = np.array([run.get(v, 0.0) for run in runs])
        low, high = np.percentile(sample, [tail, 100 - tail])
        out[v] = (float(low), float(high))
    return out
