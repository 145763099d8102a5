"""The contract every ingest adapter must honour, as a test mixin.

Subclass :class:`AdapterContract`, supply ``make_adapter`` and ``good_payloads`` (decoded JSON
of your format) and pytest runs the whole contract: your adapter recognises its payloads,
parses them deterministically into well-formed items of its platform, and refuses what is not
its shape.
"""

from __future__ import annotations

from typing import Any

from nigehban.ingest.base import Adapter, ParseContext
from nigehban.model.items import Post
from nigehban.model.refs import Relation


class AdapterContract:
    tenant = "contract"

    def make_adapter(self) -> Adapter:
        raise NotImplementedError

    def good_payloads(self) -> list[Any]:
        raise NotImplementedError

    def foreign_payloads(self) -> list[Any]:
        """Shapes the adapter must not claim; extend with near-misses of your format."""
        return [None, 0, "text", [], {}, {"data": None}, [1, 2, 3]]

    def test_sniffs_its_payloads(self) -> None:
        adapter = self.make_adapter()
        for payload in self.good_payloads():
            assert adapter.sniff(payload)

    def test_does_not_claim_foreign_shapes(self) -> None:
        adapter = self.make_adapter()
        for payload in self.foreign_payloads():
            assert not adapter.sniff(payload)

    def test_parse_is_deterministic(self) -> None:
        adapter = self.make_adapter()
        ctx = ParseContext(self.tenant, "contract")
        for payload in self.good_payloads():
            assert adapter.parse(payload, ctx) == adapter.parse(payload, ctx)

    def test_items_are_well_formed(self) -> None:
        adapter = self.make_adapter()
        ctx = ParseContext(self.tenant, "contract")
        for payload in self.good_payloads():
            result = adapter.parse(payload, ctx)
            for item in result.items:
                assert item.ref.tenant == self.tenant
                assert item.ref.platform is adapter.platform
                if isinstance(item, Post):
                    text = item.text or ""
                    for entity in item.entities:
                        assert entity.span.end <= len(text)
                    if any(o.relation is Relation.SHARE for o in item.origins):
                        assert item.text is None, "a pure share carries no text of its own"
