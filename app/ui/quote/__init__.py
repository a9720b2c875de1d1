"""The client quote on paper: the PDF and the printout of :mod:`app.services.quote`'s content."""
