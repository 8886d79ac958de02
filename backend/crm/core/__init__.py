"""The core every layer may use, and which uses none of them: the API's error shape and domain
errors, the current organization's scope, client addresses and security headers, the routers and
scoped views every API is built on, and the registry of what a new organization starts with."""
