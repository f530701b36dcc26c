"""What drives a build: the MkDocs plugin, ``promo gen`` for engines that run no plugins, and the
build both share."""
