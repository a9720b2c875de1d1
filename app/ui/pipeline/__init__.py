"""View › Pipeline: the open projects by stage, as a board and as a table.

The service is app/services/pipeline/.
"""
