"""``POST /v1/classify``: the stance classifier over HTTP.

Body: ``{"texts": [{"id": …, "text": …, "lang": …?}, …]}`` (at most ``MAX_TEXTS``); an
``id`` is echoed back as given, so an integer one over the 64-bit range, which JSON readers
would change, is refused: send it as a string. Each
result carries ``label``, ``score`` (probability of violating at the deployment prior),
``category``, ``category_scores``, ``threat_any``, ``lang``, ``groups`` and ``abstained``
with its reason. The model is loaded on the first request (a missing model is a 503 that says
to run ``nigehban train``); scoring runs in a worker thread.
"""

# No ``from __future__ import annotations``: FastAPI must see ``Depends(require_key)``, a closure.

import threading
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field, model_validator
from starlette.concurrency import run_in_threadpool

from nigehban.api.strict_json import StrictJSONRoute
from nigehban.errors import ValidationError
from nigehban.exactjson import id_over_64_bits, over_64_bits
from nigehban.privacy.masking import preview
from nigehban.settings import Settings
from nigehban.stance.classifier import Classifier
from nigehban.store.keys import ApiKey

MAX_TEXTS = 1000


class TextIn(BaseModel):
    id: str | int | None = Field(None, description="Your identifier, echoed back.")
    text: str = Field(description="The text, as written.")
    lang: str | None = Field(None, description="Language hint: en, ur, ur-Latn or ps.")


class ClassifyRequest(BaseModel):
    texts: list[TextIn] = Field(description=f"Up to {MAX_TEXTS} texts.")

    @model_validator(mode="before")
    @classmethod
    def _check_ids(cls, data: Any) -> Any:
        """Ids refused as ``nigehban classify`` refuses them, named at their path
        (``texts[3].id``), before pydantic reads them. Nigehban's ValidationError is no
        ValueError: pydantic lets it through, to the one error shape."""
        texts = data.get("texts") if isinstance(data, dict) else None
        for i, item in enumerate(texts if isinstance(texts, list) else ()):
            value = item.get("id") if isinstance(item, dict) else None
            if isinstance(value, bool):
                shown = f"a boolean ({preview(value)}) is never an id: give a string or an integer"
                raise ValidationError("request", f"texts[{i}].id", shown)
            if over_64_bits(value):
                shown = id_over_64_bits(preview(str(value)))
                raise ValidationError("request", f"texts[{i}].id", shown)
        return data


class ClassifierHolder:
    """Builds the classifier once, on first use, from settings."""

    def __init__(self, settings: Settings, classifier: Classifier | None = None) -> None:
        self._settings = settings
        self._classifier = classifier
        self._lock = threading.Lock()

    def get(self) -> Classifier:
        with self._lock:
            if self._classifier is None:
                self._classifier = Classifier.from_settings(self._settings)
            return self._classifier


def classify_router(
    settings: Settings, holder: ClassifierHolder, require_key: Callable[..., ApiKey]
) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["classify"], route_class=StrictJSONRoute)

    @router.post("/classify", summary="Classify texts: stance, category, threat, groups")
    async def classify(
        request: ClassifyRequest, key: Annotated[ApiKey, Depends(require_key)]
    ) -> dict[str, Any]:
        if not request.texts:
            raise ValidationError("request", "texts", "give at least one text")
        if len(request.texts) > MAX_TEXTS:
            raise ValidationError(
                "request", "texts", f"{len(request.texts)} texts is over the limit of {MAX_TEXTS}"
            )
        for i, item in enumerate(request.texts):
            if len(item.text) > settings.max_text_chars:
                raise ValidationError(
                    "request",
                    f"texts[{i}].text",
                    f"{len(item.text)} characters is over the limit of {settings.max_text_chars}",
                )
        classifier = await run_in_threadpool(holder.get)
        results = await run_in_threadpool(
            classifier.classify, [t.text for t in request.texts], [t.lang for t in request.texts]
        )
        return {
            "model": classifier.snapshot_hash,
            "prior": classifier.prior,
            "results": [
                {"id": t.id, **r.to_dict()} for t, r in zip(request.texts, results, strict=True)
            ],
        }

    return router
