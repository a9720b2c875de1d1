"""The capacity outlook: can we deliver what we are selling?"""
