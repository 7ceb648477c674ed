"""tools/prune_lock.py on a small synthetic lock with the cases that matter
(platform markers per group, extras, Python-version markers, unreachable
packages), and the sample's poetry.lock against its pyproject.toml.

Lives next to the tool, not under tests/: the image's test stage copies only
tests/ and runs the application's tests; these run on a checkout.
"""

import importlib.util
import tomllib
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("prune_lock", TOOLS / "prune_lock.py")
prune_lock = importlib.util.module_from_spec(spec)
spec.loader.exec_module(prune_lock)


def package(name, dependencies="", groups='["main"]', markers=None):
    marker_line = f"markers = {markers}\n" if markers else ""
    return (f'[[package]]\nname = "{name}"\nversion = "1.0"\ndescription = ""\noptional = false\n'
            f'python-versions = ">=3.9"\ngroups = {groups}\n{marker_line}files = [\n'
            f'    {{file = "{name}-1.0.tar.gz", hash = "sha256:{name * 4}"}},\n]\n'
            + (f"\n[package.dependencies]\n{dependencies}" if dependencies else "") + "\n")


UPSTREAM = "# upstream header\n\n" + "".join([
    package("app", 'Colour = {version = "*", markers = "platform_system == \\"Windows\\""}\n'
                   'old = {version = "*", markers = "python_version < \\"3.11\\""}\n'
                   'fast = {version = "*", optional = true, markers = "extra == \\"speed\\""}\n'
                   'plugin = {version = "*", extras = ["speed"]}\n'),
    package("colour", groups='["main", "dev"]', markers='"upstream only"'),
    package("fast"),
    package("old"),
    package("plugin", 'fast = {version = "*", optional = true, markers = "extra == \\"speed\\""}\n'
                      'win = {version = "*", optional = true, markers = '
                      '"sys_platform == \\"win32\\" and extra == \\"speed\\""}\n'),
    package("tester", 'colour = {version = "*", markers = "sys_platform == \\"win32\\""}\n'),
    package("unused"),
    package("win"),
    package("reload"),
]) + '[extras]\nr = ["unused"]\n\n[metadata]\nlock-version = "2.1"\npython-versions = ">=3.9"\n' \
     'content-hash = "0"\n'

PYPROJECT = {"tool": {"poetry": {
    "dependencies": {"python": ">=3.11,<3.13", "app": "^1.0",
                     "reload": {"version": "*", "optional": True}},
    "extras": {"live": ["reload"]},
    "group": {"dev": {"dependencies": {"tester": "^1.0"}}},
}}}


def pruned():
    return tomllib.loads(prune_lock.prune(UPSTREAM, PYPROJECT))


def test_keeps_reachable_packages_only():
    names = [p["name"] for p in pruned()["package"]]
    assert names == ["app", "colour", "fast", "plugin", "reload", "tester", "win"]


def test_groups_markers_and_optional_are_recomputed():
    lock = {p["name"]: p for p in pruned()["package"]}
    assert lock["colour"]["groups"] == ["main", "dev"]
    assert lock["colour"]["markers"] == {"main": 'platform_system == "Windows"',
                                         "dev": 'sys_platform == "win32"'}
    assert lock["win"]["markers"] == 'sys_platform == "win32"'  # the extra is gone
    assert "markers" not in lock["fast"]  # reached unconditionally through plugin[speed]
    assert lock["tester"]["groups"] == ["dev"]
    assert lock["reload"]["optional"] is True and lock["app"]["optional"] is False


def test_blocks_are_copied_verbatim_apart_from_the_header_lines():
    text = prune_lock.prune(UPSTREAM, PYPROJECT)
    assert 'hash = "sha256:pluginpluginpluginplugin"' in text
    assert 'win = {version = "*", optional = true, markers = ' in text


def test_metadata_and_extras():
    lock = pruned()
    assert lock["extras"] == {"live": ["reload"]}
    assert lock["metadata"]["lock-version"] == "2.1"
    assert lock["metadata"]["python-versions"] == ">=3.11,<3.13"
    assert lock["metadata"]["content-hash"] == prune_lock.content_hash(PYPROJECT["tool"]["poetry"])


def test_python_versions_and_markers():
    assert prune_lock.python_versions(">=3.11,<3.13") == [(3, 11), (3, 12)]
    assert prune_lock.python_versions("^3.11")[-1] == (3, 39)
    markers = prune_lock.Markers([(3, 11), (3, 12)])
    marker = markers.parse('python_version >= "3.11" and (os_name == "nt" or extra == "x")')
    assert markers.render(markers.restrict(marker, set())) == 'os_name == "nt"'
    split = markers.union(markers.parse('python_version < "3.12"'), markers.parse('python_version >= "3.12"'))
    assert split == markers.always
    only_312 = markers.parse('python_version >= "3.12" and sys_platform == "win32"')
    assert markers.render(only_312) == 'sys_platform == "win32" and python_version >= "3.12"'


def test_the_sample_lock_is_fresh_for_its_pyproject():
    """Editing dependencies in pyproject.toml without re-running the tool fails here
    (Poetry would report the lock as stale)."""
    pyproject = tomllib.loads((TOOLS.parent / "pyproject.toml").read_text(encoding="utf-8"))
    lock = tomllib.loads((TOOLS.parent / "poetry.lock").read_text(encoding="utf-8"))
    assert lock["metadata"]["content-hash"] == prune_lock.content_hash(pyproject["tool"]["poetry"])
    assert lock["metadata"]["python-versions"] == pyproject["tool"]["poetry"]["dependencies"]["python"]
