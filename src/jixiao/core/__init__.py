"""The pure domain core: no Django, no file formats, no I/O."""
