"""Stock levels of the shop, with deliberate lint flaws (unused imports, an undefined name)."""
import os
import sys
from typing import Dict


STOCK: Dict[str, int] = {"apple": 12, "pear": 0, "plum": 7}


def in_stock(item: str) -> bool:
    return STOCK.get(item, 0) > 0


def restock(item: str, count: int) -> int:
    STOCK[item] = STOCK.get(item, 0) + count
    return STOCK[item]


def report() -> str:
    lines = [f"{name}: {count}" for name, count in sorted(STOCK.items())]
    return "\n".join(lines) + totl
