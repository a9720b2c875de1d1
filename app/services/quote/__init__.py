"""The client quote as content: what it says, whatever renders it (the workbook, the PDF, the printer)."""
