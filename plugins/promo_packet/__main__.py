"""``python -m promo_packet``: the ``promo`` command."""

from promo_packet.cli import main

if __name__ == "__main__":
    main()
