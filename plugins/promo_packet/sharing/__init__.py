"""Sharing a packet safely: the page policy, locking and sealing, publishing, opening from disk."""
