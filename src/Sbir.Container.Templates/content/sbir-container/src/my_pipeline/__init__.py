"""my-pipeline: a small data pipeline, packaged as a container image by Sbir.Container.Sdk."""

__version__ = "0.1.0"
