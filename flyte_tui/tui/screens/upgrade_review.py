"""The upgrade review screen: answers, values and manifests that change, inline and navigable.

Open it with ``app.push_screen(UpgradeReviewScreen(review))``; it dismisses with True when the user
chooses to apply, False otherwise. Keys: ``n``/``p`` jump to the next/previous changed object,
``enter``/``space`` expand or collapse it, ``e``/``c`` expand/collapse all, ``a`` apply, Esc back.
Secrets were redacted by the core before they reach this screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from flyte_tui.review.review import Review
from flyte_tui.tui.screens.screen_keys import ScreenKey, bindings, buttons
from flyte_tui.tui.widgets.manifest_view import MARK, ManifestView, diff_text

if TYPE_CHECKING:
    from flyte_tui.upgrade import ClusterReview


class UpgradeReviewScreen(Screen[bool]):
    """What an upgrade changes, layer by layer."""

    DEFAULT_CSS = """
    UpgradeReviewScreen #review-title { text-style: bold; padding: 0 1; }
    UpgradeReviewScreen #review-summary { color: $text-muted; padding: 0 1; }
    UpgradeReviewScreen #review-body { height: 1fr; }
    UpgradeReviewScreen #review-clusters { height: 1fr; }
    UpgradeReviewScreen #review-clusters ContentSwitcher, UpgradeReviewScreen TabPane { height: 1fr; }
    UpgradeReviewScreen TabPane { padding: 0; }
    UpgradeReviewScreen #review-notes { color: $warning; padding: 0 1; }
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

    def __init__(self, review: Review, clusters: Sequence[ClusterReview] = (), notes: Sequence[str] = ()) -> None:
        super().__init__()
        self.review = review
        self.clusters = tuple(clusters)
        """Every cluster's review (data planes first), one tab each; empty for one cluster."""
        self.notes = tuple(notes)
        """What adding or removing data planes means beyond the diffs (credentials keys, releases left)."""

    def compose(self) -> ComposeResult:
        r = self.review
        where = (
            f"release {r.release.name} ({r.release.chart}, revision {r.release.revision})"
            if r.release
            else ("a new release")
        )
        if self.clusters:
            where = f"{len(self.clusters)} clusters, data planes first, then the control plane's {where}"
        yield Static(f"Upgrade review — {where}", id="review-title", markup=False)
        yield Static(self._summary(), id="review-summary", markup=False)
        if self.notes:
            yield Static("\n".join(self.notes), id="review-notes", markup=False)
        if not self.clusters:
            with VerticalScroll(id="review-body", classes="review-body"):
                yield from self._layers(r, "")
        else:
            with TabbedContent(id="review-clusters"):
                for index, cluster in enumerate(self.clusters):
                    release = cluster.release
                    label = release.data_plane or "control plane"
                    label += " (new)" if cluster.review.release is None else ""
                    with TabPane(label, id=f"cluster-{index}"), VerticalScroll(classes="review-body"):
                        yield Static(cluster.title, id=f"cluster-title-{index}", classes="layer-title", markup=False)
                        yield from self._layers(cluster.review, f"-{index}")
        with Horizontal(id="review-buttons"):
            yield from buttons(self.KEYS)
        yield Footer()

    def _layers(self, r: Review, suffix: str) -> ComposeResult:
        """One release's answers, values, manifests and chart warnings (ids end in ``suffix``)."""
        yield Static(f"Answers ({len(r.answers)} changed)", classes="layer-title", markup=False)
        yield Static(
            "\n".join(c.line() for c in r.answers) or "(none)", id=f"layer-answers{suffix}", classes="layer",
            markup=False,
        )  # fmt: skip
        yield Static(f"Values ({len(r.values.changes)} changed)", classes="layer-title", markup=False)
        yield Static(
            diff_text(r.values.lines) if r.values.lines else Text("(none)"), id=f"layer-values{suffix}",
            classes="layer",
        )  # fmt: skip
        title = f"Manifests ({self._counts(r)})"
        yield Static(title, classes="layer-title", id=f"manifests-title{suffix}", markup=False)
        yield ManifestView(r.manifests.objects, id=f"manifests{suffix}")
        if r.warnings:
            yield Static(f"Chart version warnings ({len(r.warnings)})", classes="layer-title", markup=False)
            yield Static(
                "\n".join(f"{w.path}: {w.message}" for w in r.warnings),
                id=f"layer-warnings{suffix}",
                classes="layer",
                markup=False,
            )

    @staticmethod
    def _counts(review: Review) -> str:
        parts = []
        for kind, per in review.manifests.counts.items():
            parts.append(f"{kind} " + " ".join(f"{MARK[what][0]}{n}" for what, n in per.items() if n))
        return ", ".join(parts) or "no changes"

    def _summary(self) -> str:
        r = self.review
        reviews = [c.review for c in self.clusters] or [r]
        objects = sum(len(x.manifests.objects) for x in reviews)
        answers = sum(len(x.answers) for x in reviews)
        values = sum(len(x.values.changes) for x in reviews)
        tabs = " Tab: next cluster." if self.clusters else ""
        text = (
            f"{objects} objects change; {answers} answers, "
            f"{values} values. n/p: next/previous change, enter: expand, a: apply.{tabs}"
        )
        check = r.helm_diff_check()
        if check is not None:
            text += " " + check.summary()
        return text

    # -- navigation ------------------------------------------------------------------------------

    @property
    def view(self) -> ManifestView:
        """The manifests layer (of the cluster whose tab is open)."""
        if self.clusters:
            pane = self.query_one(TabbedContent).active_pane
            if pane is not None:
                return pane.query_one(ManifestView)
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
        body = next(a for a in view.ancestors if isinstance(a, VerticalScroll))
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
