"""Path and query parameters that several routes share: stored row ids and paging cursors,
bounded to what the database holds, so that ``/v1/decisions/99999999999999999999`` is a 422
naming the parameter rather than a failure in the database driver."""

from typing import Annotated

from fastapi import Path, Query

from nigehban.model.ints import INT64_MAX

RowId = Annotated[int, Path(ge=1, le=INT64_MAX, description="A stored row's id.")]
Cursor = Annotated[
    int | None, Query(ge=0, le=INT64_MAX, description="Only rows with a smaller id.")
]
After = Annotated[int, Query(ge=0, le=INT64_MAX, description="Only rows with a larger id.")]
EntryFilter = Annotated[
    int | None, Query(ge=1, le=INT64_MAX, description="Only this entry's events.")
]
