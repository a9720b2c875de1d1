"""One estimate: its document and rows, fields, parameters and formulas, pricing, scenarios and revisions."""
