"""The estimate workspace: the client and production panes, their models, editing and the Estimate menu."""
