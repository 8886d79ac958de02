"""The marketing services: campaigns and members, email templates, segments, email sends."""
