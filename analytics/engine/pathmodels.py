"""The arithmetic of the data-driven attribution models (docs/metrics.md "Data-driven attribution") on
touch paths counted by queries/marts/attribution_paths.sql: Markov-chain removal effects of any order
and path-level Shapley values, each turned into per-path shares so that every converting path's amount
is shared out whole (the credits add up to the bookings like the rule models'), and a seeded bootstrap.
Pure numpy/scipy; no database here."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix, identity
from scipy.sparse.linalg import spsolve

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

    def resized(self, count: np.ndarray) -> Paths:
        """The same paths with other counts (a bootstrap draw); amounts scale with the count."""
        scale = np.divide(count, self.count, out=np.zeros_like(count), where=self.count > 0)
        return Paths(self.steps, self.converting, count, self.amount * scale)

    @property
    def non_converting(self) -> float:
        return float(self.count[~self.converting].sum())


@dataclass
class Credits:
    """Per value: credited amount, credited conversions, converting paths it is on, sampling error of
    the amount (Shapley paths beyond EXACT_LIMIT only)."""
    amount: dict[str, float] = field(default_factory=dict)
    conversions: dict[str, float] = field(default_factory=dict)
    paths: dict[str, float] = field(default_factory=dict)
    sampling_var: dict[str, float] = field(default_factory=dict)

    def add(self, value: str, amount: float, conversions: float) -> None:
        self.amount[value] = self.amount.get(value, 0.0) + amount
        self.conversions[value] = self.conversions.get(value, 0.0) + conversions


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
    return _share(paths, lambda steps: _per_touch(steps, effect))


def _per_touch(steps: Steps, effect: dict[str, float]) -> dict[str, float]:
    weights = np.array([effect.get(s, 0.0) for s in steps])
    if weights.sum() <= 0:
        weights = np.ones(len(steps))
    shares: dict[str, float] = {}
    for s, w in zip(steps, weights / weights.sum()):
        shares[s] = shares.get(s, 0.0) + float(w)
    return shares


# --- Shapley -------------------------------------------------------------------------------------

def _combination(steps: Steps) -> Steps:
    return tuple(sorted(set(steps)))


def conversion_rates(paths: Paths) -> dict[Steps, float]:
    """The characteristic function: per set of values a path touched, the conversion rate of the paths
    that touched exactly that set; sets without a conversion are worth 0 (the DP6 definition)."""
    won: dict[Steps, float] = {}
    seen: dict[Steps, float] = {}
    for steps, converting, n in zip(paths.steps, paths.converting, paths.count):
        if not steps:
            continue
        key = _combination(steps)
        seen[key] = seen.get(key, 0.0) + n
        if converting:
            won[key] = won.get(key, 0.0) + n
    return {k: won[k] / seen[k] for k in won if won[k] > 0}


def shapley(players: Steps, worth: dict[Steps, float], rng: np.random.Generator | None = None,
            exact_limit: int = EXACT_LIMIT, permutations: int = PERMUTATIONS) -> tuple[np.ndarray, np.ndarray]:
    """Shapley values of `players` in the game v(T) = worth[T] (0 when absent) and their sampling
    standard errors (0 when exact). Exact up to `exact_limit` players: the sum over the coalitions that
    have a worth of v(T)·(t-1)!(n-t)!/n! for members and −v(T)·t!(n-t-1)!/n! for the others (equal to the
    2^n enumeration, since every other coalition is worth 0). Beyond, the mean marginal contribution
    over seeded random orders, whose values always add up to v(players) like the exact ones."""
    n = len(players)
    if n <= exact_limit:
        phi = np.zeros(n)
        members = set(players)
        for coalition, v in worth.items():
            if not set(coalition) <= members:
                continue
            t = len(coalition)
            inside = np.array([p in coalition for p in players])
            gain = v / (t * math.comb(n, t))
            loss = v / ((n - t) * math.comb(n, t)) if t < n else 0.0
            phi += np.where(inside, gain, -loss)
        return phi, np.zeros(n)
    rng = rng or np.random.default_rng(0)
    draws = np.zeros((permutations, n))
    for k in range(permutations):
        before, held = 0.0, []
        for i in rng.permutation(n):
            held.append(players[i])
            after = worth.get(tuple(sorted(held)), 0.0)
            draws[k, i] = after - before
            before = after
    return draws.mean(axis=0), draws.std(axis=0, ddof=1) / math.sqrt(permutations)


def shapley_credits(paths: Paths, seed: int = 0, exact_limit: int = EXACT_LIMIT) -> Credits:
    """Each converting path's amount shared over the distinct values it touched by their Shapley values
    in the game of conversion rates (conversion_rates), normalised to the path (the DP6 package's
    conv_rate weighting); a value may get a negative share when paths with it convert less."""
    worth = conversion_rates(paths)
    rng = np.random.default_rng(seed)
    cache: dict[Steps, tuple[dict[str, float], dict[str, float]]] = {}
    credits = Credits()

    def shares(steps: Steps) -> dict[str, float]:
        key = _combination(steps)
        if key not in cache:
            phi, se = shapley(key, worth, rng, exact_limit)
            total = worth.get(key, 0.0)
            if total <= 0:  # cannot happen for a converting path; kept safe for a bootstrap draw
                phi, se, total = np.ones(len(key)), np.zeros(len(key)), float(len(key))
            cache[key] = (dict(zip(key, phi / total)), dict(zip(key, se / total)))
        return cache[key][0]

    out = _share(paths, shares, credits)
    for steps, converting, n, amount in zip(paths.steps, paths.converting, paths.count, paths.amount):
        if converting and steps and n > 0:
            for value, se in cache[_combination(steps)][1].items():
                out.sampling_var[value] = out.sampling_var.get(value, 0.0) + (amount * se) ** 2
    return out


# --- sharing out and stability -------------------------------------------------------------------

NO_TOUCH = "(no touch)"


def _share(paths: Paths, shares_of: Callable[[Steps], dict[str, float]], into: Credits | None = None) -> Credits:
    credits = into or Credits()
    for steps, converting, n, amount in zip(paths.steps, paths.converting, paths.count, paths.amount):
        if not converting or n <= 0:
            continue
        if not steps:
            credits.add(NO_TOUCH, float(amount), float(n))
            credits.paths[NO_TOUCH] = credits.paths.get(NO_TOUCH, 0.0) + float(n)
            continue
        for value, share in shares_of(steps).items():
            credits.add(value, float(amount) * share, float(n) * share)
            credits.paths[value] = credits.paths.get(value, 0.0) + float(n)
    return credits


RULES = ("first_touch", "last_touch", "linear")  # the rule models that need nothing but the path


def _rule(model: str) -> Callable[[Steps], dict[str, float]]:
    def shares(steps: Steps) -> dict[str, float]:
        if model == "first_touch":
            return {steps[0]: 1.0}
        if model == "last_touch":
            return {steps[-1]: 1.0}
        return _per_touch(steps, {})
    return shares


def credits_of(model: str, paths: Paths, order: int = 1, seed: int = 0, chain: Chain | None = None) -> Credits:
    if model in RULES:
        return _share(paths, _rule(model))
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
