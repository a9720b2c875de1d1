"""Search everything (Ctrl+Shift+F): the toolbar's search box and its grouped results."""
