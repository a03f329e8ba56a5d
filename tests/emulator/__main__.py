"""``PYTHONPATH=tests python -m emulator --port 0 [--seed FILE] [--tls] [--port-file F]``"""

import argparse
import signal
import sys
import threading

import yaml

from emulator.server import Emulator


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0 = a free one)")
    parser.add_argument("--seed", help="YAML or JSON file with identity, config, jobs, tokens, faults")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a generated certificate")
    parser.add_argument("--ca-file", help="with --tls: where to write the CA certificate (PEM)")
    parser.add_argument("--port-file", help="write the chosen port to this file once listening")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    seed = {}
    if args.seed:
        with open(args.seed, encoding="utf-8") as handle:
            seed = yaml.safe_load(handle) or {}
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    server = Emulator(seed, port=args.port, tls=args.tls, ca_path=args.ca_file, verbose=args.verbose).start()
    if args.port_file:  # written before the banner, so a reader of either sees a ready server
        with open(args.port_file, "w", encoding="utf-8") as handle:
            handle.write("%d\n" % int(server.url.rsplit(":", 1)[1]))
    print("emulator listening on %s" % server.url, flush=True)
    if args.tls:
        print("emulator CA certificate: %s" % server.ca_path, flush=True)
    stopped.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
