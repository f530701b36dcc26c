"""Writing the packet: a new packet, a new entry, drafts and accepting them, check-ins."""
