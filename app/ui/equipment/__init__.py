"""Equipment the company owns: sub-renting a shortage and the shortage lists."""
