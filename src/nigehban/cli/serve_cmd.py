"""``nigehban serve``: the API on uvicorn; refuses to listen beyond localhost without keys.
The access log masks identifiers and query values in request paths
(:mod:`nigehban.api.access_log`)."""

from __future__ import annotations

import argparse
import ipaddress

import uvicorn

from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode
from nigehban.errors import ConfigError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("serve", help="serve the REST API")
    p.add_argument("--host", help="address to listen on (default: setting host)")
    p.add_argument("--port", type=int, help="port (default: setting port)")
    p.set_defaults(handler=serve)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(ctx: Context) -> int:
    from nigehban.api.access_log import log_config
    from nigehban.api.app import create_app

    host = ctx.args.host or ctx.settings.host
    port = ctx.args.port or ctx.settings.port
    store = ctx.store()
    if not is_loopback(host) and store.active_key_count() == 0:
        raise ConfigError(
            "host",
            f"refusing to listen on {host}: no API key exists; "
            "create one with 'nigehban keys create NAME' or listen on 127.0.0.1",
        )
    app = create_app(ctx.settings, store)
    ctx.out.err.print(f"Nigehban API on http://{host}:{port}  (docs: http://{host}:{port}/docs)")
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=ctx.settings.log_level.lower(),
        log_config=log_config(),  # request paths masked in the access log
    )
    return ExitCode.OK
