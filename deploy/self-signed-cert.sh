#!/bin/sh
# Runs in the nginx container at start: a self-signed certificate for local use, made once.
# For a real host, mount the certificate and key as /etc/nginx/certs/tls.crt and tls.key instead.
set -eu
if [ ! -s /etc/nginx/certs/tls.crt ]; then
    openssl req -x509 -nodes -newkey rsa:2048 -days 825 -subj "/CN=${TLS_HOSTNAME:-localhost}" \
        -addext "subjectAltName=DNS:${TLS_HOSTNAME:-localhost},IP:127.0.0.1" \
        -keyout /etc/nginx/certs/tls.key -out /etc/nginx/certs/tls.crt
fi
