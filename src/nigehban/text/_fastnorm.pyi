from collections.abc import Callable, Mapping, Sequence

def configure(
    match_table: Mapping[int, str],
    spellings: dict[str, str],
    connectors: frozenset[str],
    fallback: Callable[[str], str],
) -> None: ...
def normalise_aggressive(text: str) -> str: ...
def original_spans(
    text: str, normalised: str, ranges: Sequence[tuple[int, int]]
) -> list[tuple[int, int]] | None: ...
