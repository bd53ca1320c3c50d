-- Messaging (docs/messaging.md): outbound email/SMS messages with their status timeline, and
-- the suppression list no message is ever sent to.

-- One outbound message. `status` only moves forward in the order of docs/messaging.md
-- (queued < sent < delivered < bounced|failed < opened < clicked < replied; suppressed is
-- final and set only by the host before a send); each status keeps the time it was first
-- reached, also when a later status already overtook it (a late `delivered` after `opened`).
CREATE TABLE messages (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id            text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  channel              text NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient            text NOT NULL CHECK (length(recipient) BETWEEN 1 AND 320),  -- normalized
  recipient_name       text NOT NULL DEFAULT '',
  contact_id           uuid,  -- the contact it went to (no FK: history outlives the contact)
  template             text,  -- the tenant template's name; NULL for inline content
  connector_id         text NOT NULL,
  marketing            boolean NOT NULL DEFAULT false,
  status               text NOT NULL DEFAULT 'queued'
                         CHECK (status IN ('queued', 'sent', 'delivered', 'opened', 'clicked',
                                           'bounced', 'failed', 'suppressed', 'replied')),
  content              jsonb NOT NULL DEFAULT '{}'::jsonb,  -- as requested: data or inline parts
  rendered             jsonb,   -- what was handed to the provider (subject/text/html)
  sms_encoding         text CHECK (sms_encoding IN ('GSM-7', 'UCS-2')),
  sms_length           integer,  -- characters (GSM-7 septets or UTF-16 units)
  sms_segments         integer,
  provider_message_id  text,
  error                text,
  idempotency_key      text,     -- who created it: "api:<uuid>", "help:<provider event>", …
  queued_at            timestamptz NOT NULL DEFAULT now(),
  sent_at              timestamptz,
  delivered_at         timestamptz,
  opened_at            timestamptz,
  clicked_at           timestamptz,
  bounced_at           timestamptz,
  failed_at            timestamptz,
  suppressed_at        timestamptz,
  replied_at           timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_tenant_time ON messages (tenant_id, created_at DESC, id);
CREATE INDEX messages_recipient ON messages (tenant_id, channel, recipient, created_at DESC);
CREATE INDEX messages_provider_id ON messages (tenant_id, provider_message_id)
  WHERE provider_message_id IS NOT NULL;
CREATE UNIQUE INDEX messages_idempotency ON messages (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- The timeline: every provider event applied (and the host's own steps: queued, sent,
-- suppressed). provider_event_id is unique per tenant, which makes applying an event
-- idempotent: a duplicate is a conflict and changes nothing.
CREATE TABLE message_events (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id          text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  message_id         uuid REFERENCES messages (id) ON DELETE CASCADE,  -- NULL: no message matched
  connector_id       text NOT NULL,
  provider_event_id  text NOT NULL CHECK (length(provider_event_id) BETWEEN 1 AND 400),
  type               text NOT NULL,
  channel            text NOT NULL CHECK (channel IN ('email', 'sms')),
  address            text,
  status_before      text,
  status_after       text,
  occurred_at        timestamptz NOT NULL DEFAULT now(),
  detail             jsonb NOT NULL DEFAULT '{}'::jsonb,  -- the MessageEvent as emitted
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, provider_event_id)
);
CREATE INDEX message_events_message ON message_events (tenant_id, message_id, occurred_at, id);

-- Addresses that must not receive messages of a channel. `address` is normalized (email:
-- trimmed, lowercased; sms: E.164). One row per address and channel; removing it (a
-- resubscribe, START, an API DELETE) allows sending again.
CREATE TABLE suppressions (
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  channel     text NOT NULL CHECK (channel IN ('email', 'sms')),
  address     text NOT NULL CHECK (length(address) BETWEEN 1 AND 320),
  reason      text NOT NULL,   -- bounced, spam_reported, unsubscribed, opted_out, manual, …
  source      text NOT NULL,   -- "webhook:<connector>", "unsubscribe_link", "api", …
  message_id  uuid,            -- the message whose event caused it, when one did
  detail      text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, channel, address)
);
CREATE INDEX suppressions_tenant_time ON suppressions (tenant_id, created_at DESC);

ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON messages
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

ALTER TABLE message_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON message_events
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

ALTER TABLE suppressions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON suppressions
  USING (tenant_id = reos_current_tenant()) WITH CHECK (tenant_id = reos_current_tenant());

GRANT SELECT, INSERT, UPDATE ON messages TO reos_app;
GRANT SELECT, INSERT ON message_events TO reos_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON suppressions TO reos_app;
