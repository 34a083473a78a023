"""The upgrade review screen: answers, values and manifests that change, inline and navigable.

Open it with ``app.push_screen(UpgradeReviewScreen(review))``; it dismisses with True when the user
chooses to apply, False otherwise. Keys: ``n``/``p`` jump to the next/previous changed object,
``enter``/``space`` expand or collapse it, ``e``/``c`` expand/collapse all, ``a`` apply, Esc back.
Secrets were redacted by the core before they reach this screen.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from flyte_tui.review.review import Review
from flyte_tui.tui.screens.screen_keys import ScreenKey, bindings, buttons
from flyte_tui.tui.widgets.manifest_view import MARK, ManifestView, diff_text


class UpgradeReviewScreen(Screen[bool]):
    """What an upgrade changes, layer by layer."""

    DEFAULT_CSS = """
    UpgradeReviewScreen #review-title { text-style: bold; padding: 0 1; }
    UpgradeReviewScreen #review-summary { color: $text-muted; padding: 0 1; }
    UpgradeReviewScreen #review-body { height: 1fr; }
    UpgradeReviewScreen .layer-title { text-style: bold; margin-top: 1; padding: 0 1; }
    UpgradeReviewScreen .layer { padding: 0 2; }
    UpgradeReviewScreen #manifests { padding: 0 1; }
    UpgradeReviewScreen #review-buttons { height: auto; }
    UpgradeReviewScreen #review-buttons Button { margin-right: 1; }
    """

    KEYS = (
        ScreenKey("n", "next_change", "Next change"),
        ScreenKey("p", "previous_change", "Previous"),
        ScreenKey("enter,space", "toggle_object", "Expand/collapse"),
        ScreenKey("e", "expand_all", "Expand all"),
        ScreenKey("c", "collapse_all", "Collapse all"),
        ScreenKey("a", "apply", "Apply", button="apply", label="Apply the upgrade", variant="primary"),
        ScreenKey("escape", "back", "Back", button="back"),
    )
    """The keys, and the buttons that do the same (the footer's order)."""
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self, review: Review) -> None:
        super().__init__()
        self.review = review

    def compose(self) -> ComposeResult:
        r = self.review
        where = (
            f"release {r.release.name} ({r.release.chart}, revision {r.release.revision})"
            if r.release
            else ("a new release")
        )
        yield Static(f"Upgrade review — {where}", id="review-title", markup=False)
        yield Static(self._summary(), id="review-summary", markup=False)
        with VerticalScroll(id="review-body"):
            yield Static(f"Answers ({len(r.answers)} changed)", classes="layer-title", markup=False)
            yield Static(
                "\n".join(c.line() for c in r.answers) or "(none)", id="layer-answers", classes="layer", markup=False
            )
            yield Static(f"Values ({len(r.values.changes)} changed)", classes="layer-title", markup=False)
            yield Static(
                diff_text(r.values.lines) if r.values.lines else Text("(none)"), id="layer-values", classes="layer"
            )
            yield Static(f"Manifests ({self._counts()})", classes="layer-title", id="manifests-title", markup=False)
            yield ManifestView(r.manifests.objects, id="manifests")
            if r.warnings:
                yield Static(f"Chart version warnings ({len(r.warnings)})", classes="layer-title", markup=False)
                yield Static(
                    "\n".join(f"{w.path}: {w.message}" for w in r.warnings),
                    id="layer-warnings",
                    classes="layer",
                    markup=False,
                )
        with Horizontal(id="review-buttons"):
            yield from buttons(self.KEYS)
        yield Footer()

    def _counts(self) -> str:
        parts = []
        for kind, per in self.review.manifests.counts.items():
            parts.append(f"{kind} " + " ".join(f"{MARK[what][0]}{n}" for what, n in per.items() if n))
        return ", ".join(parts) or "no changes"

    def _summary(self) -> str:
        r = self.review
        text = (
            f"{len(r.manifests.objects)} objects change; {len(r.answers)} answers, "
            f"{len(r.values.changes)} values. n/p: next/previous change, enter: expand, a: apply."
        )
        check = r.helm_diff_check()
        if check is not None:
            text += " " + check.summary()
        return text

    # -- navigation ------------------------------------------------------------------------------

    @property
    def view(self) -> ManifestView:
        """The manifests layer."""
        return self.query_one(ManifestView)

    @property
    def current(self) -> int:
        """Index of the selected object (-1: none yet)."""
        return self.view.current

    def _select(self, index: int) -> None:
        view = self.view
        if not view.objects:
            return
        view.current = index % len(view.objects)
        view.refresh_view()
        body = self.query_one("#review-body", VerticalScroll)
        body.scroll_to(y=view.region.y - body.region.y + body.scroll_y + view.line_of(view.current), animate=False)

    def action_next_change(self) -> None:
        """Jump to the next changed object."""
        self._select(self.current + 1)

    def action_previous_change(self) -> None:
        """Jump to the previous changed object."""
        self._select(self.current - 1 if self.current >= 0 else -1)

    def action_toggle_object(self) -> None:
        """Expand or collapse the current object."""
        view = self.view
        if 0 <= view.current < len(view.objects):
            view.expanded ^= {view.current}
            view.refresh_view()

    def action_expand_all(self) -> None:
        """Expand every object."""
        self.view.expanded = set(range(len(self.view.objects)))
        self.view.refresh_view()

    def action_collapse_all(self) -> None:
        """Collapse every object."""
        self.view.expanded = set()
        self.view.refresh_view()

    def action_apply(self) -> None:
        """Apply the upgrade."""
        self.dismiss(True)

    def action_back(self) -> None:
        """Back without applying."""
        self.dismiss(False)
