"""Page objects, one package per operator cabinet; one class per screen."""
