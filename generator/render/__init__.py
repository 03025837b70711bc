"""Rendering: checked stories become pages and files (story pages, listings, browsing pages,
feeds, search index, share images, 公众号 articles, the web editor's configuration)."""
