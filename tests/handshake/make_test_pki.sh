#!/usr/bin/env bash
# Generates throw-away test certificates for the handshake tests into directory $1:
#   ca.pem                 root CA (trust anchor)          wrong_ca.pem   an unrelated root CA
#   intermediate.pem       intermediate CA signed by the root
#   server_rsa.{pem,key}   RSA-2048 leaf (chain file: leaf + intermediate)
#   server_ecdsa.{pem,key} ECDSA P-256 leaf (chain)        server_p384.{pem,key} ECDSA P-384 leaf
#   server_wrong.{pem,key} RSA leaf issued by wrong_ca
#   client_rsa.{pem,key}, client_ecdsa.{pem,key}  client certificates (root-issued, clientAuth)
# Server names: localhost, server.test, IP 127.0.0.1. Keys are generated fresh every run.
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"

cat > ext.cnf <<'CNF'
[ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, DNS:server.test, IP:127.0.0.1
[client]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
CNF

key_rsa() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }
key_ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:"$2" -out "$1" 2>/dev/null; }

# name key subject issuer_pem issuer_key ext_section
issue() {
  openssl req -new -key "$2" -subj "$3" -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA "$4" -CAkey "$5" -CAcreateserial -days 30 -sha256 \
    -extfile ext.cnf -extensions "$6" -out "$1.leaf.pem" 2>/dev/null
}

key_ec ca.key P-256
openssl req -new -x509 -key ca.key -subj "/CN=tlsburst test root CA" -days 30 -sha256 \
  -extensions ca -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n'; cat ext.cnf) -out ca.pem 2>/dev/null
key_ec wrong_ca.key P-256
openssl req -new -x509 -key wrong_ca.key -subj "/CN=tlsburst wrong CA" -days 30 -sha256 \
  -extensions ca -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n'; cat ext.cnf) -out wrong_ca.pem 2>/dev/null

key_ec intermediate.key P-256
issue intermediate intermediate.key "/CN=tlsburst test intermediate CA" ca.pem ca.key ca
cp intermediate.leaf.pem intermediate.pem

key_rsa server_rsa.key
issue server_rsa server_rsa.key "/CN=localhost" intermediate.pem intermediate.key server
cat server_rsa.leaf.pem intermediate.pem > server_rsa.pem

key_ec server_ecdsa.key P-256
issue server_ecdsa server_ecdsa.key "/CN=localhost" intermediate.pem intermediate.key server
cat server_ecdsa.leaf.pem intermediate.pem > server_ecdsa.pem

key_ec server_p384.key P-384
issue server_p384 server_p384.key "/CN=localhost" intermediate.pem intermediate.key server
cat server_p384.leaf.pem intermediate.pem > server_p384.pem

key_rsa server_wrong.key
issue server_wrong server_wrong.key "/CN=localhost" wrong_ca.pem wrong_ca.key server
cp server_wrong.leaf.pem server_wrong.pem

key_rsa client_rsa.key
issue client_rsa client_rsa.key "/CN=tlsburst test client rsa" ca.pem ca.key client
cp client_rsa.leaf.pem client_rsa.pem

key_ec client_ecdsa.key P-256
issue client_ecdsa client_ecdsa.key "/CN=tlsburst test client ecdsa" ca.pem ca.key client
cp client_ecdsa.leaf.pem client_ecdsa.pem

rm -f ./*.csr ./*.srl
echo ok
