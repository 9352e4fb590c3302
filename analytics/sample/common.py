"""What every table of the sample generator shares: time units, the exported period, one seeded random
stream per table, vectorised draws (categories, chances, lognormal delays, office-hour clocks) and the
conversions from integer-coded numpy arrays to Polars columns."""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
EPOCH = date(1970, 1, 1)
NONE = -1  # code for "no value" in the integer-coded arrays


@dataclass(frozen=True)
class Period:
    """The exported period: whole months from `start`, up to the export moment `end` 00:00."""

    start: date
    end: date

    @classmethod
    def ending(cls, end: date, months: int) -> Period:
        if months < 1:
            raise ValueError("months must be at least 1")
        last_day = end - timedelta(days=1)
        index = last_day.year * 12 + last_day.month - 1 - (months - 1)
        start = date(index // 12, index % 12 + 1, 1)
        if (end - start).days < 7:
            raise ValueError("the period must span at least a week")
        return cls(start, end)

    @property
    def t0(self) -> float:
        return epoch_seconds(self.start)

    @property
    def t1(self) -> float:
        """The export moment: every timestamp is before it."""
        return epoch_seconds(self.end)

    @property
    def days(self) -> np.ndarray:
        return np.arange(np.datetime64(self.start), np.datetime64(self.end))

    def progress(self, t: np.ndarray | float) -> np.ndarray:
        """Share of the period elapsed at t (0 at the start, 1 at the end)."""
        return np.clip((np.asarray(t) - self.t0) / (self.t1 - self.t0), 0.0, 1.0)


def epoch_seconds(day: date) -> float:
    """Epoch seconds of a date's midnight (UTC)."""
    return (day - EPOCH).days * DAY


def stream(seed: int, stream: str) -> np.random.Generator:
    """An independent random stream per table, so tables do not shift each other."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode())])


def pick(rng: np.random.Generator, probs, n: int | None = None, group=None) -> np.ndarray:
    """Draw category indices from `probs` (K,), or from row `group[i]` of `probs` (G, K)."""
    p = np.asarray(probs, float)
    if p.ndim == 1:
        return rng.choice(len(p), size=n, p=p / p.sum())
    group = np.asarray(group)
    cum = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    flat = (cum + np.arange(len(p))[:, None]).ravel()
    k = np.searchsorted(flat, group + rng.random(len(group)), side="right") - group * p.shape[1]
    return np.minimum(k, p.shape[1] - 1)


def chance(rng: np.random.Generator, p) -> np.ndarray:
    p = np.asarray(p, float)
    return rng.random(p.shape) < p


def logistic(x) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, float)))


def delay(rng: np.random.Generator, median, sigma: float, n: int, floor: float = 10 * MINUTE):
    """Lognormal durations in seconds, at least `floor` so that stages stay strictly ordered."""
    return np.maximum(floor, np.asarray(median, float) * np.exp(sigma * rng.standard_normal(n)))


def to_minute(t: np.ndarray) -> np.ndarray:
    return np.floor(t / MINUTE) * MINUTE


def clock(rng: np.random.Generator, n: int, business: float = 0.85) -> np.ndarray:
    """Seconds into the day: mostly office hours, some any time."""
    office = np.clip(rng.normal(13.0, 2.8, n), 7.0, 20.5)
    anytime = rng.uniform(0.0, 23.99, n)
    return np.where(rng.random(n) < business, office, anytime) * HOUR


def month_number(t: np.ndarray) -> np.ndarray:
    """Month number (year * 12 + month - 1) of epoch seconds."""
    return (t // DAY).astype("int64").astype("datetime64[D]").astype("datetime64[M]").astype("int64") + 1970 * 12


def make_ids(prefix: str, n: int, width: int) -> pl.Series:
    numbers = pl.Series(np.arange(1, n + 1, dtype=np.int64)).cast(pl.String).str.zfill(width)
    return (prefix + numbers).alias("id")


def labels(names, codes: np.ndarray) -> pl.Series:
    """Text from integer codes; NONE becomes null."""
    codes = np.asarray(codes)
    text = pl.Series(list(names), dtype=pl.String).gather(np.maximum(codes, 0))
    return pl.select(pl.when(pl.Series(codes < 0)).then(None).otherwise(text)).to_series()


def ref(ids: pl.Series, index: np.ndarray) -> pl.Series:
    """Ids by row index into `ids`; NONE becomes null."""
    index = np.asarray(index)
    values = ids.gather(np.maximum(index, 0))
    return pl.select(pl.when(pl.Series(index < 0)).then(None).otherwise(values)).to_series()


def timestamps(t: np.ndarray) -> pl.Series:
    """Epoch seconds (NaN for null) as a datetime column."""
    seconds = pl.Series(np.asarray(t, float), nan_to_null=True).cast(pl.Int64)
    return pl.from_epoch(seconds, time_unit="s")


def frame(**columns) -> pl.DataFrame:
    return pl.DataFrame({name: (col.alias(name) if isinstance(col, pl.Series) else col)
                         for name, col in columns.items()})


def event_rows(lead_parts, time_parts, *value_parts, cutoff: float):
    """Concatenate per-lead candidate events, keep those before the cut-off, sort them by lead
    and time (ties by the first value column), and return the columns as arrays."""
    lead = np.concatenate(lead_parts)
    t = np.concatenate(time_parts)
    values = [np.concatenate(v) for v in value_parts]
    keep = ~np.isnan(t) & (t < cutoff)
    lead, t, values = lead[keep], t[keep], [v[keep] for v in values]
    order = np.lexsort(tuple(reversed([lead, t] + values[:1])))
    return lead[order], t[order], [v[order] for v in values]


def spread(rng, who: np.ndarray, count: np.ndarray, start: np.ndarray, span: np.ndarray):
    """`count[i]` events for lead `who[i]`, uniform over [start, start + span)."""
    repeat = np.repeat(np.arange(len(who)), count)
    return who[repeat], start[repeat] + rng.random(len(repeat)) * np.maximum(span[repeat], 0.0)
