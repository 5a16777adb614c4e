"""The Textual front end. Importing ``aligner.tui`` is the opt-in to Textual."""
