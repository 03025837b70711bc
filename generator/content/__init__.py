"""Reading and checking the content: bytes → text → front matter → a checked Story, with
every problem. Imports only the core; nothing from rendering or publishing."""
