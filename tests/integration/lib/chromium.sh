# Headless Chromium for report tests (sourced after lib/common.sh).
#
#   chrome [FLAGS...] URL   one headless run with a fresh profile in $T and
#                           every host name mapped to "not found"
#   page_requests NETLOG    the http(s) URLs a page asked for (from a
#                           --log-net-log file)

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

chrome() {
	rm -rf "$T/chrome"
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --disable-default-apps --disable-extensions \
	    --no-first-run --no-default-browser-check --hide-scrollbars \
	    --user-data-dir="$T/chrome" \
	    --host-resolver-rules="MAP * ~NOTFOUND" "$@" 2>>"$T/chrome.log"
}

# Requests the browser makes on its own (update checks) have no origin as
# initiator; anything a page loads has one ("null" for a file).
page_requests() {
	grep '"url":"http' "$1" | grep '"initiator"' |
	    grep -v '"initiator":"not an origin"' |
	    sed 's/.*"url":"\([^"]*\)".*/\1/'
}
