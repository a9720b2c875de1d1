"""View › Dashboard: the pipeline, the forecast, the win rate and the revenue drawn with matplotlib."""
