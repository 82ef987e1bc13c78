"""reportgen's version (a base module: provenance and manifests read it without importing the
package's public API)."""

__version__ = "0.1.0"
