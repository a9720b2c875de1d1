"""The crew calendar, the crew editor, staffing and capacity."""
