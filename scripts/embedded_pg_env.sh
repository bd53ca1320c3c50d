# Sourced by run.sh and test.sh: exports EMBEDDED_PG_DIR and EMBEDDED_PG_PORT for scripts/pg.sh from
# the hub config (database.embedded.*), so the cluster is where the hub will look for it.
# Needs $REOS_BIN (the built reos) and $CONFIG.
EMBEDDED_PG_DIR=$("$REOS_BIN" --config "$CONFIG" config get database.embedded.dir)
EMBEDDED_PG_PORT=$("$REOS_BIN" --config "$CONFIG" config get database.embedded.port)
export EMBEDDED_PG_DIR EMBEDDED_PG_PORT
