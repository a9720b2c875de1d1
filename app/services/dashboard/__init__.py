"""The dashboard: the pipeline, the forecast, the win rate and the revenue across every client."""
