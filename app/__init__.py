"""The INTI-CITIES peer-review service: a thin shell around ``benchmark``."""
