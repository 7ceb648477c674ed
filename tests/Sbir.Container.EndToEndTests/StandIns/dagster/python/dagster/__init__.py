"""STAND-IN for the dagster Python package: NOT Dagster.

Only the names a code location such as the sample's sbir_etl.definitions imports, so that the
stand-in programs (standin_dagster.py) can import it and find its Definitions the way Dagster's
autodiscovery does (an object of class Definitions from the dagster package at module scope).
Nothing runs an asset here.
"""

__version__ = "1.11.16-standin"


class AssetKey:
    def __init__(self, name):
        self.path = [name]

    def to_user_string(self):
        return "/".join(self.path)


class AssetsDefinition:
    def __init__(self, function, options):
        self.function, self.options = function, options
        self.key = AssetKey(options.get("name") or function.__name__)

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)


def asset(function=None, **options):
    if function is not None:
        return AssetsDefinition(function, options)
    return lambda f: AssetsDefinition(f, options)


class Definitions:
    def __init__(self, assets=(), jobs=(), schedules=(), sensors=(), resources=None):
        self.assets, self.jobs = list(assets), list(jobs)
        self.schedules, self.sensors, self.resources = list(schedules), list(sensors), dict(resources or {})


class Failure(Exception):
    def __init__(self, description=None, metadata=None):
        super().__init__(description)
        self.description, self.metadata = description, metadata


class AssetExecutionContext:
    pass


class MetadataValue:
    @staticmethod
    def json(value):
        return value

    @staticmethod
    def path(value):
        return value


class AssetSelection:
    @staticmethod
    def all():
        return AssetSelection()


class _Job:
    def __init__(self, name, selection=None):
        self.name, self.selection = name, selection


def define_asset_job(name, selection=None, **_):
    return _Job(name, selection)
