"""The MkDocs adapter: the plugin, the theme's frame filled per page, the page writer. The
only package that imports MkDocs or Material."""
