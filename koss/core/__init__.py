"""Shared pieces under the apps: uploads, file serving, the published rule, text helpers, the
page cache and the search index. Nothing here imports an app; every app may import from here."""
