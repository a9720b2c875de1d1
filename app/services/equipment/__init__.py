"""Equipment the company owns: stock, holds derived from the projects, availability, shortages."""
