"""The storage of static files in production: hashed names and compressed copies (WhiteNoise), with
the names inside our ES modules' import statements hashed too."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage plus Django's rewriting of `import … from "./scanner.js";` to the hashed name.

    A module loaded by its hashed name then imports hashed names as well: they are cached for a year
    like it, a deployment changes them together, and the door scanner's service worker, which keeps
    the hashed names (ticketing.views.SCANNER_FILES), has every module the page imports offline.
    """

    support_js_module_import_aggregation = True
