"""Business actions of the sales app, one module per aggregate."""
