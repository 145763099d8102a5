from collections.abc import Callable, Mapping

def configure(
    match_table: Mapping[int, str],
    spellings: dict[str, str],
    connectors: frozenset[str],
    fallback: Callable[[str], str],
) -> None: ...
def normalise_aggressive(text: str) -> str: ...
