/**
 * Witness cosignatures of the log's checkpoints (C2SP tlog-cosignature/v1 lines), as the registry
 * received them from the witnesses it pushes checkpoints to (src/registry/log/witness-push.ts). A
 * line is kept with the size and root of the checkpoint it cosigns, so it is only ever appended to
 * that checkpoint. Append-only, like the log.
 */
export const logCosignatures009 = `
CREATE TABLE log_cosignatures (
  size bigint NOT NULL CHECK (size > 0),
  root bytea NOT NULL CHECK (octet_length(root) = 32),
  name text NOT NULL,
  key_id bigint NOT NULL,
  line text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (size, name, key_id)
);
CREATE TRIGGER log_cosignatures_append_only BEFORE UPDATE OR DELETE ON log_cosignatures FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER log_cosignatures_no_truncate BEFORE TRUNCATE ON log_cosignatures FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
`;
