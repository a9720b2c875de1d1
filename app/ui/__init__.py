"""PySide6 widgets, item models, dialogs: thin, they call services and show their results."""
