"""Who the sample's leads are: a person's name, a work e-mail at the company's domain and the company's
name (one per account), drawn from their own random stream so every other table stays as it was."""
from __future__ import annotations

import numpy as np
import polars as pl

from analytics.sample.common import stream

FIRST = ("Ava", "Liam", "Mia", "Noah", "Emma", "Lucas", "Sofia", "Ethan", "Chloe", "Mateo", "Hannah", "Leo",
         "Grace", "Felix", "Nora", "Oscar", "Ines", "Hugo", "Lena", "Omar", "Aisha", "Ravi", "Mei", "Kenji",
         "Sara", "Jonas", "Elif", "Tomás", "Zoe", "Arjun", "Wei", "Yuki", "Clara", "Daniel", "Fatima", "Marco")
LAST = ("Smith", "Müller", "Rossi", "García", "Dubois", "Jansen", "Kowalski", "Nielsen", "Okafor", "Tanaka",
        "Chen", "Patel", "Silva", "Novak", "Berg", "Khan", "Lindqvist", "Moreau", "Fischer", "Costa", "Reyes",
        "Ward", "Hughes", "Park", "Sato", "Ivanova", "Larsen", "Bauer", "Ahmed", "Weber", "Kim", "Murphy")
WORD1 = ("Blue", "North", "Bright", "Silver", "Apex", "Green", "Iron", "Clear", "Summit", "Harbor", "Nova",
         "Cedar", "Vertex", "Golden", "Swift", "Pioneer", "Atlas", "Maple", "Orbit", "Crest")
WORD2 = ("Logistics", "Health", "Systems", "Retail", "Labs", "Foods", "Energy", "Partners", "Media",
         "Analytics", "Works", "Bank", "Motors", "Learning", "Software", "Industries", "Travel", "Capital")
TAIL = ("", "wave", "point", "stone", "field", "gate", "line", "bridge", "view", "path", "rock", "ridge", "well",
        "haven", "light")
SUFFIX = ("Ltd", "GmbH", "Inc", "BV", "AG", "SA", "Group", "Co")


def _ascii(text: str) -> str:
    return (text.lower().replace("ü", "u").replace("á", "a").replace("í", "i").replace("ç", "c")
            .replace(" ", ""))


def company_names(accounts: int, seed: int) -> list[str]:
    """One name per account, unique (a number is added to the rare repeat)."""
    rng = stream(seed, "companies")
    a, e, b, c = (rng.integers(0, len(x), accounts) for x in (WORD1, TAIL, WORD2, SUFFIX))
    seen: dict[str, int] = {}
    names = []
    for i, m, j, k in zip(a, e, b, c, strict=True):
        base, suffix = f"{WORD1[i]}{TAIL[m]} {WORD2[j]}", SUFFIX[k]
        seen[base + suffix] = seen.get(base + suffix, 0) + 1
        names.append(f"{base} {suffix}" if seen[base + suffix] == 1 else f"{base} {seen[base + suffix]} {suffix}")
    return names


def people(account: np.ndarray, accounts: int, seed: int) -> dict[str, pl.Series]:
    """lead_name, email (first.last@company-domain), company_name for each lead of `account`."""
    rng = stream(seed, "people")
    n = len(account)
    first = rng.integers(0, len(FIRST), n)
    last = rng.integers(0, len(LAST), n)
    companies = company_names(accounts, seed)
    domains = [_ascii(" ".join(name.split()[:-1])) + ".example" for name in companies]
    return {
        "lead_name": pl.Series([f"{FIRST[f]} {LAST[s]}" for f, s in zip(first, last, strict=True)], dtype=pl.String),
        "email": pl.Series([f"{_ascii(FIRST[f])}.{_ascii(LAST[s])}@{domains[a]}"
                            for f, s, a in zip(first, last, account, strict=True)], dtype=pl.String),
        "company_name": pl.Series([companies[a] for a in account], dtype=pl.String),
    }
