"""The pipeline: open projects by stage, what each is worth and how likely it is to be won."""
