#include "messaging/message_json.hpp"

#include "property_search/property_columns.hpp"

namespace reos::messaging {

const std::string& message_json_sql() {
  using property_search::utc_text_sql;
  static const std::string kSql =
      "jsonb_build_object('id', m.id, 'channel', m.channel, 'to', m.recipient,"
      " 'to_name', m.recipient_name, 'contact_id', m.contact_id, 'template', m.template,"
      " 'connector', m.connector_id, 'marketing', m.marketing, 'status', m.status,"
      " 'provider_message_id', m.provider_message_id, 'error', m.error,"
      " 'sms', CASE WHEN m.sms_encoding IS NULL THEN NULL ELSE jsonb_build_object("
      "   'encoding', m.sms_encoding, 'length', m.sms_length, 'segments', m.sms_segments) END,"
      " 'timestamps', jsonb_strip_nulls(jsonb_build_object("
      "   'queued', " +
      utc_text_sql("m.queued_at") + ", 'sent', " + utc_text_sql("m.sent_at") + ", 'delivered', " +
      utc_text_sql("m.delivered_at") + ", 'opened', " + utc_text_sql("m.opened_at") +
      ", 'clicked', " + utc_text_sql("m.clicked_at") + ", 'bounced', " +
      utc_text_sql("m.bounced_at") + ", 'failed', " + utc_text_sql("m.failed_at") +
      ", 'suppressed', " + utc_text_sql("m.suppressed_at") + ", 'replied', " +
      utc_text_sql("m.replied_at") +
      ")),"
      " 'created_at', " +
      utc_text_sql("m.created_at") + ", 'updated_at', " + utc_text_sql("m.updated_at") + ")";
  return kSql;
}

const std::string& message_event_json_sql() {
  using property_search::utc_text_sql;
  static const std::string kSql =
      "jsonb_build_object('type', e.type, 'provider_event_id', e.provider_event_id,"
      " 'connector', e.connector_id, 'address', e.address, 'status_before', e.status_before,"
      " 'status_after', e.status_after, 'occurred_at', " +
      utc_text_sql("e.occurred_at") + ", 'detail', e.detail)";
  return kSql;
}

}  // namespace reos::messaging
