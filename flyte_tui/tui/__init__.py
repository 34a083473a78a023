"""The Textual wizard: the app (wiring only), its screens, dialogs and widgets."""
