#!/usr/bin/env bash
# Fetches GraphiQL's browser builds from the npm registry into assets/, at
# the pinned versions below. Run it only to change a version; its output is
# committed, and the binary embeds it (graphiql.go), so GraphiQL works with
# no internet access.
set -euo pipefail
cd "$(dirname "$0")"

graphiql=4.1.2    # the last major with a browser (UMD) build
react=18.3.1      # React 19 ships no UMD build
graphql_ws=6.4.2

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "graphiql@$graphiql" "react@$react" "react-dom@$react" "graphql-ws@$graphql_ws" >/dev/null)
unpack() { mkdir -p "$tmp/$1" && tar xzf "$tmp/$2" -C "$tmp/$1"; }
unpack graphiql "graphiql-$graphiql.tgz"
unpack react "react-$react.tgz"
unpack react-dom "react-dom-$react.tgz"
unpack graphql-ws "graphql-ws-$graphql_ws.tgz"

out=assets/vendor
rm -rf "$out" && mkdir -p "$out"
cp "$tmp/graphiql/package/graphiql.min.js" "$tmp/graphiql/package/graphiql.min.css" "$out/"
cp "$tmp/react/package/umd/react.production.min.js" "$out/"
cp "$tmp/react-dom/package/umd/react-dom.production.min.js" "$out/"
cp "$tmp/graphql-ws/package/umd/graphql-ws.min.js" "$out/"
# The source maps stay out: only a browser's developer tools would ask for them.
sed -i '/^\/\/# sourceMappingURL=/d; s|//# sourceMappingURL=[^ ]*$||; s|/\*# sourceMappingURL=[^*]*\*/||' "$out"/*.js "$out"/*.css
for p in graphiql react react-dom graphql-ws; do
  cp "$tmp/$p/package/LICENSE"* "$out/LICENSE-$p" 2>/dev/null || true
done
printf 'graphiql %s\nreact %s\nreact-dom %s\ngraphql-ws %s\n' "$graphiql" "$react" "$react" "$graphql_ws" > "$out/VERSIONS"
