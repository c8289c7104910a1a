#!/usr/bin/env bash
# Throwaway certificates for the TLS tests, made with the openssl CLI at test time.
#
#   Tests/TLS/make-certs.sh DIR
#
# DIR/ca.crt       a CA whose nameConstraints permit only DNS:localhost and IP 127.0.0.1, so even
#                  when installed in the system store it can never vouch for any other name
# DIR/server.crt   localhost + 127.0.0.1, signed by that CA (key: server.key)
# DIR/untrusted.crt a self-signed localhost certificate that nothing trusts (key: untrusted.key)
#
# The CA key is deleted once the server certificate is signed: nothing can be signed with it later.
set -euo pipefail
dir="${1:?usage: make-certs.sh DIR}"
mkdir -p "$dir"
cd "$dir"

cat > ca.cnf <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = chatbench test CA (localhost only)
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;DNS:localhost, permitted;IP:127.0.0.1/255.255.255.255
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
authorityKeyIdentifier = keyid
CNF

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -keyout ca.key -out ca.crt -config ca.cnf -extensions ca 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
    -extfile ca.cnf -extensions server -out server.crt 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -keyout untrusted.key -out untrusted.crt -subj "/CN=localhost" \
    -addext "subjectAltName = DNS:localhost, IP:127.0.0.1" 2>/dev/null
rm -f ca.key ca.srl server.csr ca.cnf
chmod 600 server.key untrusted.key
openssl verify -CAfile ca.crt server.crt >/dev/null
