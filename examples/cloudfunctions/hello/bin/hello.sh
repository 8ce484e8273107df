#!/bin/sh
# An executable shipped with the function: git records it as such (mode 100755), so its zip
# entry is 0755 on every system that deploys it, and it can run in the cloud.
echo "Hello, ${1:-world}!"
