"""The wizard's style sheets: ``app.tcss`` (the frame every step shares, loaded at start-up) and
``forms.tcss`` (forms, tables, the review and the dialogs, loaded with the first screen that needs it)."""

from pathlib import Path

APP_CSS = Path(__file__).with_name("app.tcss")
FORMS_CSS = Path(__file__).with_name("forms.tcss")
