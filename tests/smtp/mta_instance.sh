#!/usr/bin/env bash
# A private Postfix instance on loopback for the SMTP tests: the real MTA, not a stand-in.
#
#   mta_instance.sh start STATE_FILE   → starts Postfix on 127.0.0.1:<free port> with STARTTLS
#                                        (a self-signed certificate made here with openssl), and
#                                        a submission service on a second port that relays only
#                                        for clients authenticated with SMTP AUTH (Cyrus SASL,
#                                        PLAIN/LOGIN, after STARTTLS, one user in a sasldb made
#                                        here); writes PORT=, SUBMIT_PORT=, SASL_USER=,
#                                        SASL_PASSWORD=, DIR=, MAILDIR=, CA=, OTHER_CA= lines to
#                                        STATE_FILE
#   mta_instance.sh stop STATE_FILE    → stops it and removes its directory
#
# Every recipient in the domains reos.test and example.com is delivered by virtual(8) into one
# Maildir (MAILDIR), which the tests read back and parse. Nothing is relayed anywhere else.
# Postfix's master must start as root (it drops to the `postfix` user), so without root this
# prints why and exits 77, which CTest reports as "skipped" for the fixture's tests.
set -euo pipefail

cmd=${1:-}
state=${2:-}
[ -n "$cmd" ] && [ -n "$state" ] || { echo "usage: $0 start|stop STATE_FILE" >&2; exit 2; }

stop_instance() {
  [ -f "$state" ] || return 0
  # shellcheck disable=SC1090
  . "$state"
  if [ -n "${DIR:-}" ] && [ -d "$DIR" ]; then
    postfix -c "$DIR/etc" stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
  fi
  rm -f "$state"
}

if [ "$cmd" = stop ]; then
  stop_instance
  exit 0
fi
[ "$cmd" = start ] || { echo "mta_instance.sh: unknown command '$cmd'" >&2; exit 2; }

if [ "$(id -u)" -ne 0 ]; then
  echo "mta_instance.sh: Postfix needs root to start its master process; SMTP tests skipped" >&2
  exit 77
fi
command -v postfix >/dev/null || { echo "mta_instance.sh: postfix is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }
command -v saslpasswd2 >/dev/null || { echo "mta_instance.sh: saslpasswd2 is not installed (scripts/install-deps.sh installs sasl2-bin)" >&2; exit 1; }

stop_instance
# Under /var/tmp rather than the build tree (maillog_file must live under /var): Postfix's daemons run as `postfix` and must be able
# to reach the queue, which a checkout under /root would not allow.
DIR=$(mktemp -d /var/tmp/reos-mta.XXXXXX)
chmod 755 "$DIR"
mkdir -p "$DIR/etc" "$DIR/queue" "$DIR/data" "$DIR/mail"
# Mail is written as `nobody` (virtual(8) refuses root); the tests read it as root.
chown nobody:nogroup "$DIR/mail"
chown postfix:postfix "$DIR/data"

# A port nobody answers on (no python or ss on a minimal Debian, so probe with bash).
free_port() {
  local candidate
  for _ in $(seq 1 50); do
    candidate=$(shuf -i 20000-60999 -n 1)
    if [ "$candidate" != "${PORT:-}" ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "mta_instance.sh: no free port found" >&2
  return 1
}
PORT=$(free_port)
SUBMIT_PORT=$(free_port)

# The submission service's one account, in a sasldb of this instance (Cyrus SASL's auxprop
# plugin, read by smtpd as `postfix`). The realm is the host name smtpd authenticates in.
SASL_USER=relay
SASL_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
mkdir -p "$DIR/etc/sasl"
printf '%s' "$SASL_PASSWORD" | saslpasswd2 -p -c -f "$DIR/etc/sasl/sasldb2" -u mta.reos.test "$SASL_USER"
chown postfix:postfix "$DIR/etc/sasl/sasldb2"
chmod 600 "$DIR/etc/sasl/sasldb2"
cat >"$DIR/etc/sasl/smtpd.conf" <<EOF
pwcheck_method: auxprop
auxprop_plugin: sasldb
mech_list: PLAIN LOGIN
sasldb_path: $DIR/etc/sasl/sasldb2
EOF

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$DIR/etc/tls.key" -out "$DIR/etc/tls.crt" >/dev/null 2>&1
chmod 600 "$DIR/etc/tls.key"
# A second, unrelated certificate: a client told to trust only it must refuse the server.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -keyout "$DIR/etc/other.key" -out "$DIR/etc/other-ca.crt" >/dev/null 2>&1

cat >"$DIR/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $DIR/queue
data_directory = $DIR/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = mta.reos.test
mydomain = reos.test
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
# Fault injection by recipient: a permanent and a temporary refusal, as real MTAs answer.
smtpd_recipient_restrictions = check_recipient_access inline:{ { rejected@example.com = 550 5.1.1 <rejected@example.com>: Recipient address rejected: User unknown }, { busy@example.com = 451 4.2.1 <busy@example.com>: Mailbox busy, try again later } }, permit_mynetworks, reject_unauth_destination
virtual_mailbox_domains = reos.test, example.com
virtual_mailbox_base = $DIR/mail
virtual_mailbox_maps = static:inbox/
virtual_uid_maps = static:$(id -u nobody)
virtual_gid_maps = static:$(getent group nogroup | cut -d: -f3)
virtual_minimum_uid = 1
alias_maps =
alias_database =
biff = no
smtpd_banner = \$myhostname ESMTP reos-test
smtpd_tls_cert_file = $DIR/etc/tls.crt
smtpd_tls_key_file = $DIR/etc/tls.key
smtpd_tls_security_level = may
smtpd_tls_received_header = yes
maillog_file = $DIR/maillog
message_size_limit = 20480000
EOF

# Only the services this instance uses; no chroot (the queue lives outside /var/spool).
cat >"$DIR/etc/master.cf" <<EOF
127.0.0.1:$PORT inet n - n - - smtpd
127.0.0.1:$SUBMIT_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_sasl_type=cyrus
  -o smtpd_sasl_path=smtpd
  -o cyrus_sasl_config_path=$DIR/etc/sasl
  -o smtpd_sasl_local_domain=mta.reos.test
  -o smtpd_sasl_security_options=noanonymous
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
pickup    unix n - n 60 1 pickup
cleanup   unix n - n - 0 cleanup
qmgr      unix n - n 300 1 qmgr
tlsmgr    unix - - n 1000? 1 tlsmgr
rewrite   unix - - n - - trivial-rewrite
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
verify    unix - - n - 1 verify
flush     unix n - n 1000? 0 flush
proxymap  unix - - n - - proxymap
showq     unix n - n - - showq
error     unix - - n - - error
retry     unix - - n - - error
discard   unix - - n - - discard
smtp      unix - - n - - smtp
relay     unix - - n - - smtp
virtual   unix - n n - - virtual
anvil     unix - - n - 1 anvil
scache    unix - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF

postfix -c "$DIR/etc" check >/dev/null 2>&1 || true
if ! postfix -c "$DIR/etc" start >"$DIR/start.log" 2>&1; then
  echo "mta_instance.sh: postfix failed to start:" >&2
  cat "$DIR/start.log" >&2
  [ -f "$DIR/maillog" ] && tail -20 "$DIR/maillog" >&2
  exit 1
fi
# Ready when the SMTP port answers with its banner.
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    break
  fi
  sleep 0.1
done
{
  echo "PORT=$PORT"
  echo "SUBMIT_PORT=$SUBMIT_PORT"
  echo "SASL_USER=$SASL_USER"
  echo "SASL_PASSWORD=$SASL_PASSWORD"
  echo "DIR=$DIR"
  echo "MAILDIR=$DIR/mail/inbox"
  echo "CA=$DIR/etc/tls.crt"
  echo "OTHER_CA=$DIR/etc/other-ca.crt"
} >"$state"
echo "mta_instance.sh: postfix on 127.0.0.1:$PORT, mail in $DIR/mail/inbox"
