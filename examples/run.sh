#!/usr/bin/env bash
# A complete run of the bpf-events tool on examples/connection.clj: the layout, the C
# header for the BPF program, the stores that fill a record, and the decoding of two
# records written here byte by byte, as the kernel would leave them in a ring buffer.
#
#   bash examples/run.sh
#
# It runs bin/bpf-events, which builds the tool's jar with Maven on first use.
set -euo pipefail
export LC_ALL=C  # ${#s} counts bytes

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bpf_events="$here/../bin/bpf-events"
events="$here/connection.clj"

# Little-endian (le) and network-order (be) integers of N bytes, and a C string padded
# with NULs to N bytes, written as raw bytes.
le() {
  local n=$1 v=$2 i
  for ((i = 0; i < n; i++)); do printf "\\x$(printf %02x $(((v >> (8 * i)) & 255)))"; done
}
be() {
  local n=$1 v=$2 i
  for ((i = n - 1; i >= 0; i--)); do printf "\\x$(printf %02x $(((v >> (8 * i)) & 255)))"; done
}
text() {
  local n=$1 s=$2 i
  printf '%s' "$s"
  for ((i = ${#s}; i < n; i++)); do printf '\x00'; done
}
pad() { text "$1" ""; }

# One TcpConnect record (56 bytes): ts-ns pid uid src-ip src-port dst-ip dst-port retval comm
record() {
  le 8 "$1"; le 4 "$2"; le 4 "$3"
  be 4 "$4"; be 2 "$5"; pad 2     # src: Addr is 8 bytes, 2 of them padding
  be 4 "$6"; be 2 "$7"; pad 2     # dst
  le 4 "$8"; text 16 "$9"; pad 4  # 52 bytes rounded up to 56, a multiple of 8
}

dump="$(mktemp)"
trap 'rm -f "$dump"' EXIT
{
  # 10.0.0.2:41000 -> 93.184.216.34:443, connected
  record 1700000000123456789 4242 1000 0x0a000002 41000 0x5db8d822 443 0 curl
  # 10.0.0.2:41002 -> 10.0.0.9:5432, refused (-ECONNREFUSED)
  record 1700000000223456789 4243 0 0x0a000002 41002 0x0a000009 5432 -111 psql
} > "$dump"

echo "== the layout (bpf-events describe)"
"$bpf_events" describe "$events" TcpConnect
echo
echo "== the C header for the BPF program (bpf-events c-header)"
"$bpf_events" c-header "$events" --guard TCP_CONNECT_H
echo
echo "== the stores that fill a record at r6 from r7 (bpf-events stores)"
"$bpf_events" stores "$events" TcpConnect
echo
echo "== $(wc -c < "$dump") bytes of records, decoded (bpf-events decode)"
"$bpf_events" decode "$events" TcpConnect "$dump"
echo
echo "== the same as JSON, from stdin"
"$bpf_events" decode "$events" TcpConnect --format json < "$dump"
