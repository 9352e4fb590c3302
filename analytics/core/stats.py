"""Small statistics shared by the metrics: the Wilson score interval and the low-volume flag."""
from __future__ import annotations

import polars as pl

Z95 = 1.959963984540054


def with_rate(frame: pl.DataFrame, hits: str, total: str, name: str = "rate",
              low_volume_n: int = 30) -> pl.DataFrame:
    """Add name, ci_low, ci_high (95% Wilson) and is_low_volume; a zero total gives nulls."""
    k, n = pl.col(hits).cast(pl.Float64), pl.col(total).cast(pl.Float64)
    p = k / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * ((p * (1 - p) / n + z2 / (4 * n * n)).sqrt()) / (1 + z2 / n)
    valid = n > 0
    return frame.with_columns(
        pl.when(valid).then(p).otherwise(None).alias(name),
        # at k = 0 and k = n the bounds are exactly 0 and 1; the formula leaves rounding dust
        pl.when(~valid).then(None).when(k == 0).then(0.0)
        .otherwise((centre - half).clip(0.0, 1.0)).alias("ci_low"),
        pl.when(~valid).then(None).when(k == n).then(1.0)
        .otherwise((centre + half).clip(0.0, 1.0)).alias("ci_high"),
        (n < low_volume_n).alias("is_low_volume"),
    )


def wilson(k: int, n: int) -> tuple[float | None, float | None]:
    """The 95% Wilson interval of k successes in n trials (None, None when n is 0)."""
    if n == 0:
        return None, None
    row = with_rate(pl.DataFrame({"k": [k], "n": [n]}), "k", "n").row(0, named=True)
    return row["ci_low"], row["ci_high"]
