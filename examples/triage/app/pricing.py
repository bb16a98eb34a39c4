"""Prices, with deliberate type flaws for mypy (a str returned as an int, a wrong argument)."""
PRICES = {"apple": 30, "pear": 45, "plum": 25}


def price_of(item: str) -> int:
    if item not in PRICES:
        return "unknown"
    return PRICES[item]


def total(items: list[str]) -> int:
    return sum(price_of(item) for item in items)


def receipt(items: list[str]) -> str:
    return "total: " + total(items)
