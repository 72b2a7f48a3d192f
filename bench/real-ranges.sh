#!/usr/bin/env bash
# Parses a folder of the providers' real IP range publications with the app's parsers and prints, per file,
# the rows accepted (IPv4 and IPv6 prefixes) and every row rejected with its line and reason.
#   bench/real-ranges.sh DIR
# The repository holds only small fixtures we wrote in these formats (tests/data/ipranges-formats); the real
# files are third-party data: download them into DIR under the names below. Exit 1 when a row was rejected.
set -euo pipefail
cd "$(dirname "$0")/.."

sources='Where each publication comes from (save it in DIR under the first name):
  aws-ip-ranges.json       https://ip-ranges.amazonaws.com/ip-ranges.json
  gcp-cloud.json           https://www.gstatic.com/ipranges/cloud.json
  azure-service-tags.json  "Azure IP Ranges and Service Tags - Public Cloud": the JSON linked from
                           https://www.microsoft.com/en-us/download/details.aspx?id=56519 (a new file name every week)
  ip2asn-v4.tsv.gz         https://iptoasn.com/data/ip2asn-v4.tsv.gz (also ip2asn-v6.tsv.gz or ip2asn-combined.tsv.gz;
                           every ip2asn*.tsv and ip2asn*.tsv.gz is read)'

if [[ $# -ne 1 || ! -d "${1:-}" ]]; then
  printf 'usage: bench/real-ranges.sh DIR\n%s\n' "${sources}" >&2
  exit 2
fi

dotnet build tools/GameSignals.Cli/GameSignals.Cli.csproj -c Release -nologo -v q >/dev/null
status=0
tools/GameSignals.Cli/bin/Release/net10.0/GameSignals.Cli ranges "$1" || status=$?
printf '\n%s\n' "${sources}"
exit "${status}"
