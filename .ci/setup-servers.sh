#!/usr/bin/env bash
# Installs the loopback test servers (Azurite, S3Proxy) into .ci/tools/; same as `.ci/servers.sh install`.
exec "$(dirname "${BASH_SOURCE[0]}")/servers.sh" install
