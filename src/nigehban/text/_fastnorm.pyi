from collections.abc import Mapping

def configure(
    match_table: Mapping[int, str],
    spellings: dict[str, str],
    connectors: frozenset[str],
) -> None: ...
def normalise_aggressive(text: str) -> str: ...
