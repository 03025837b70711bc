"""The command-line face: `python -m generator …` (argparse), new stories, the web editor's
local servers, reviews of a branch."""
