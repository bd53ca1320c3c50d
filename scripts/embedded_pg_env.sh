# Sourced by run.sh and test.sh: exports REOS_PG_DIR and REOS_PG_PORT for scripts/pg.sh from
# the hub config (database.embedded.*), so the cluster is where the hub will look for it.
# Needs $REOS_BIN (the built reos) and $CONFIG.
REOS_PG_DIR=$("$REOS_BIN" --config "$CONFIG" config get database.embedded.dir)
REOS_PG_PORT=$("$REOS_BIN" --config "$CONFIG" config get database.embedded.port)
export REOS_PG_DIR REOS_PG_PORT
