"""Law packs, one package per jurisdiction."""
