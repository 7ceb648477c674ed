"""Command line: ``python -m sbir_etl``.

Exit codes are part of the container contract (the etl-runner entrypoint and
CI branch on them): 0 success, 1 validation failure, 2 usage or configuration
error, 3 input file missing (for shell: nothing materialized yet).
"""

import argparse
import code
import json
import os
import sys
from pathlib import Path
from typing import Mapping, Sequence

from sbir_etl import __version__
from sbir_etl.config import ConfigError, LoadedConfig, load_config, masked, with_derived_paths
from sbir_etl.extract import HeaderError
from sbir_etl.jsonlog import JsonLogger
from sbir_etl.pipeline import ASSET, InputMissing, materialize_raw_sbir_awards, resolve_paths
from sbir_etl.shell import NothingToOpen, open_output

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_NO_INPUT = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sbir_etl", description="SBIR awards ETL")
    parser.add_argument("--version", action="version", version=f"sbir-etl {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    materialize = commands.add_parser("materialize", help="materialize an asset")
    materialize.add_argument("asset", choices=[ASSET])
    materialize.add_argument("--input", type=Path, help="awards CSV (default: from settings)")
    materialize.add_argument("--output-dir", type=Path, help="where processed files go")

    # check-config: the command's earlier name, kept so that existing scripts go on working.
    commands.add_parser("config", aliases=["check-config"],
                        help="print the effective settings as JSON, secrets masked")

    shell = commands.add_parser("shell", help="a Python prompt on the processed data (DuckDB, else JSON Lines)")
    shell.add_argument("--output-dir", type=Path, help="where the pipeline wrote (default: from settings)")
    return parser


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 for --version
        return int(exit_.code or 0)

    # config owns stdout for its JSON document and shell for the prompt; their log lines go to stderr.
    stream = sys.stdout if args.command == "materialize" else sys.stderr
    try:
        config = load_config(os.environ if environ is None else environ)
    except ConfigError as error:
        JsonLogger(stream=stream).error("invalid configuration", error=str(error))
        return EXIT_USAGE
    log = JsonLogger(config.get("pipeline.log_level"), stream)
    _log_config(config, log)

    if args.command in ("config", "check-config"):
        effective = masked(with_derived_paths(config.settings))
        print(json.dumps(effective, indent=2, sort_keys=True))
        return EXIT_OK
    if args.command == "shell":
        return _shell(args, config, log)
    return _materialize(args, config, log)


def _shell(args: argparse.Namespace, config: LoadedConfig, log: JsonLogger) -> int:
    paths = resolve_paths(config, output_dir=args.output_dir)
    try:
        opened = open_output(paths)
    except NothingToOpen as error:
        log.error(str(error), output_dir=str(paths.output_dir))
        return EXIT_NO_INPUT
    try:
        code.interact(banner=opened.banner, local=opened.namespace, exitmsg="")
    finally:
        opened.close()
    return EXIT_OK


def _materialize(args: argparse.Namespace, config: LoadedConfig, log: JsonLogger) -> int:
    paths = resolve_paths(config, args.input, args.output_dir)
    try:
        result = materialize_raw_sbir_awards(paths, log)
    except InputMissing as error:
        log.error(str(error), path=str(error.path))
        return EXIT_NO_INPUT
    except HeaderError as error:
        log.error("not an SBIR.gov awards file", input=str(paths.input), error=str(error))
        return EXIT_INVALID
    return EXIT_OK if result.stored else EXIT_INVALID


def _log_config(config: LoadedConfig, log: JsonLogger) -> None:
    source = str(config.source_file) if config.source_file else None
    log.debug("configuration loaded", config_file=source)
    if config.unknown_keys:
        log.warning("ignoring unknown settings (no such key; check the spelling)",
                    keys=config.unknown_keys)
