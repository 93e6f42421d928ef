// Logs the scheduled event's time: one line per minute.
exports.handler = async (event) => {
  console.log(`${event['detail-type']} from ${event.source} at ${event.time}`);
  return { ok: true };
};
